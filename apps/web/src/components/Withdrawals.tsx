/**
 * Withdrawals from the chain's message passer, newest first, each on its timeline with the button its next
 * step needs (prove, then finalize after the window). L1's events, the portal's status and L1's clock place them.
 */
import { getWithdrawalStatus } from '@seed/contracts'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import type { Address } from 'viem'
import { listBatches } from '../lib/batches.ts'
import {
  batchCovering,
  bridgeConfig,
  l1WithdrawalEvents,
  listL2Withdrawals,
  outputAt,
  type WithdrawalPlace,
  withdrawalTimeline,
} from '../lib/bridge.ts'
import { useChain } from '../lib/chain-context.tsx'
import { eth, short } from '../lib/format.ts'
import { useL1Now } from '../lib/l1-clock.ts'
import { useHead } from '../lib/live.ts'
import { NoL2 } from './NoL2.tsx'
import { QueryRows, ShowOlder, useRowWindow } from './QueryTable.tsx'
import { Empty } from './States.tsx'
import { WithdrawalAction } from './WithdrawalAction.tsx'

export function Withdrawals({ inbox }: { inbox: Address }) {
  const { network, l2, key } = useChain()
  const l1Head = useHead('l1')
  const l2Head = useHead('l2')
  const withdrawals = useQuery({
    queryKey: ['bridge-withdrawals', ...key, String(l2Head.data?.number), String(l1Head.data?.number)],
    enabled: l2 !== undefined && l1Head.data !== undefined,
    queryFn: async () => {
      const list = await listL2Withdrawals(l2!.client)
      if (list === null) return null
      const [batches, events, config] = await Promise.all([
        listBatches(network.l1, inbox),
        l1WithdrawalEvents(network.l1, inbox),
        bridgeConfig(network.l1, inbox),
      ])
      return Promise.all(
        list.map(async (withdrawal) => {
          const batch = batchCovering(batches, withdrawal.l2Block)
          const proven = events.proven.get(withdrawal.withdrawalHash)
          const index = proven?.index ?? batch?.index
          const [posted, status] = await Promise.all([
            index === undefined ? undefined : outputAt(network.l1, inbox, index),
            config ? getWithdrawalStatus(network.l1, { inbox, withdrawal }) : undefined,
          ])
          const place: WithdrawalPlace = {
            withdrawal,
            batch,
            events,
            config,
            status,
            postedAt: posted?.postedAt || undefined,
          }
          return place
        }),
      )
    },
    placeholderData: keepPreviousData,
  })
  if (!l2) return <NoL2 />
  if (withdrawals.data === null) {
    return <Empty>This chain has no message passer yet: nothing can be withdrawn from it.</Empty>
  }
  return (
    <QueryRows
      query={{ ...withdrawals, data: withdrawals.data }}
      what="withdrawals"
      empty="No withdrawal initiated on this chain yet."
    >
      {(rows) => <WithdrawalList inbox={inbox} rows={rows} />}
    </QueryRows>
  )
}

function WithdrawalList({ inbox, rows }: { inbox: Address; rows: readonly WithdrawalPlace[] }) {
  const now = useL1Now()
  const { visible, older, more } = useRowWindow(rows, 10)
  return (
    <>
      <ul className="withdrawals">
        {visible.map(({ withdrawal, batch, events, config, status, postedAt }) => {
          const steps = withdrawalTimeline({ withdrawal, batch, events, config, status, postedAt, now: now ?? 0n })
          return (
            <li key={withdrawal.withdrawalHash}>
              <p>
                {eth(withdrawal.value)} from <span className="mono">{short(withdrawal.sender)}</span> to{' '}
                <span className="mono">{short(withdrawal.target)}</span> ·{' '}
                <Link to="/tx/$hash" params={{ hash: withdrawal.l2TxHash }} className="mono">
                  {short(withdrawal.l2TxHash, 12)}
                </Link>
              </p>
              <ol className="timeline" aria-label={`Withdrawal ${short(withdrawal.withdrawalHash, 12)}`}>
                {steps.map((s) => (
                  <li key={s.label} className={s.state}>
                    <span className="visually-hidden">
                      {s.state === 'done' ? 'done: ' : s.state === 'current' ? 'now: ' : 'next: '}
                    </span>
                    {s.label}
                    {s.detail ? <span className="muted"> · {s.detail}</span> : null}
                  </li>
                ))}
              </ol>
              {status && (
                <WithdrawalAction inbox={inbox} withdrawal={withdrawal} batchIndex={batch?.index} status={status} />
              )}
            </li>
          )
        })}
      </ul>
      <ShowOlder older={older} more={more} what="withdrawals" />
    </>
  )
}
