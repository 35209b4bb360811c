import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { createFileRoute, Link } from '@tanstack/react-router'
import type { Address } from 'viem'
import { DepositForm } from '../components/DepositForm.tsx'
import { NoL2 } from '../components/NoL2.tsx'
import { NotFound } from '../components/NotFound.tsx'
import { Empty, ErrorNote, Loading, QueryView } from '../components/States.tsx'
import { listBatches } from '../lib/batches.ts'
import {
  bridgeConfig,
  l1WithdrawalEvents,
  listChallenges,
  listDeposits,
  listL2Withdrawals,
  outputAt,
  withdrawalTimeline,
} from '../lib/bridge.ts'
import { useChain } from '../lib/chain-context.tsx'
import { eth, short } from '../lib/format.ts'
import { useHead } from '../lib/live.ts'

export const Route = createFileRoute('/bridge')({ component: BridgePage })

function BridgePage() {
  const { chain, known } = useChain()
  if (known && !chain) return <NotFound what="No known chain matches this chain id or inbox." />
  if (!chain) return <Loading what="the chain" />
  return <Bridge inbox={chain.inbox} chainId={chain.chainId} />
}

function Bridge({ inbox, chainId }: { inbox: Address; chainId: bigint }) {
  const { network } = useChain()
  const l1Head = useHead('l1')
  const at = String(l1Head.data?.number)
  const config = useQuery({ queryKey: ['bridge-config', inbox], queryFn: () => bridgeConfig(network.l1, inbox) })
  const deposits = useQuery({
    queryKey: ['bridge-deposits', inbox, at],
    queryFn: () => listDeposits(network.l1, inbox),
    placeholderData: keepPreviousData,
  })
  const challenges = useQuery({
    queryKey: ['bridge-challenges', inbox, at],
    queryFn: () => listChallenges(network.l1, inbox),
    placeholderData: keepPreviousData,
  })
  return (
    <section>
      <h1>Bridge</h1>
      <p className="muted">
        Chain {String(chainId)}, inbox <span className="mono wrap">{inbox}</span>: deposits enter through the SeedPortal
        on L1, withdrawals leave against the outputs its batches post, after the challenge window.
      </p>
      <QueryView query={config} what="the bridge config">
        {(c) =>
          c ? (
            <p id="bridge-config">
              Challenge window {String(c.challengeWindow)} s · challenge bond {eth(c.challengeBond)} ·{' '}
              {c.guardians.length} guardian{c.guardians.length === 1 ? '' : 's'}, threshold {String(c.threshold)}.
            </p>
          ) : (
            <p id="bridge-config">
              This chain has no bridge config yet: the portal refuses deposits to it until its inbox owner registers
              one.
            </p>
          )
        }
      </QueryView>
      <h2>Deposit ETH</h2>
      {config.data ? <DepositForm inbox={inbox} /> : <Empty>No deposits into a chain without a bridge config.</Empty>}
      <h2>Deposits</h2>
      {deposits.error ? (
        <ErrorNote error={deposits.error} />
      ) : !deposits.data ? (
        <Loading what="deposits" />
      ) : deposits.data.length === 0 ? (
        <Empty>No deposit into this chain yet.</Empty>
      ) : (
        <div className="scroll">
          <table className="grid deposits">
            <caption className="visually-hidden">Deposits</caption>
            <thead>
              <tr>
                <th scope="col">Nonce</th>
                <th scope="col">From</th>
                <th scope="col">To (L2)</th>
                <th scope="col">Mint</th>
                <th scope="col">Value</th>
                <th scope="col">L1 tx</th>
              </tr>
            </thead>
            <tbody>
              {deposits.data.map((d) => (
                <tr key={String(d.nonce)}>
                  <td>{String(d.nonce)}</td>
                  <td className="mono">{short(d.from)}</td>
                  <td className="mono">{short(d.to)}</td>
                  <td>{eth(d.mint)}</td>
                  <td>{eth(d.value)}</td>
                  <td className="mono">
                    <Link to="/l1/tx/$hash" params={{ hash: d.l1TxHash }}>
                      {short(d.l1TxHash, 12)}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Withdrawals</h2>
      <Withdrawals inbox={inbox} />
      <h2>Challenges</h2>
      {challenges.error ? (
        <ErrorNote error={challenges.error} />
      ) : !challenges.data ? (
        <Loading what="challenges" />
      ) : challenges.data.length === 0 ? (
        <Empty>No output of this chain has been challenged.</Empty>
      ) : (
        <div className="scroll">
          <table className="grid challenges">
            <caption className="visually-hidden">Challenges</caption>
            <thead>
              <tr>
                <th scope="col">Output</th>
                <th scope="col">Root</th>
                <th scope="col">Challenger</th>
                <th scope="col">Outcome</th>
                <th scope="col">L1 tx</th>
              </tr>
            </thead>
            <tbody>
              {challenges.data.map((c) => (
                <tr key={`${c.index}-${c.outputRoot}`}>
                  <td>#{String(c.index)}</td>
                  <td className="mono">{short(c.outputRoot, 12)}</td>
                  <td className="mono">{short(c.challenger)}</td>
                  <td>{c.outcome}</td>
                  <td className="mono">
                    <Link to="/l1/tx/$hash" params={{ hash: c.l1TxHash }}>
                      {short(c.l1TxHash, 12)}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** Withdrawals from the chain's message passer, each on its timeline; L1's events and clock place them. */
function Withdrawals({ inbox }: { inbox: Address }) {
  const { network, l2, key } = useChain()
  const l1Head = useHead('l1')
  const l2Head = useHead('l2')
  const timelines = useQuery({
    queryKey: ['bridge-withdrawals', ...key, String(l2Head.data?.number), String(l1Head.data?.number)],
    enabled: l2 !== undefined && l1Head.data !== undefined,
    queryFn: async () => {
      const withdrawals = await listL2Withdrawals(l2!.client)
      if (withdrawals === null) return null
      const [batches, events, config] = await Promise.all([
        listBatches(network.l1, inbox),
        l1WithdrawalEvents(network.l1, inbox),
        bridgeConfig(network.l1, inbox),
      ])
      return Promise.all(
        withdrawals.map(async (withdrawal) => {
          const proven = events.proven.get(withdrawal.withdrawalHash)
          const batch = [...batches].reverse().find((b) => b.lastBlock >= withdrawal.l2Block)
          const index = proven?.index ?? batch?.index
          const postedAt = index === undefined ? undefined : (await outputAt(network.l1, inbox, index)).postedAt
          const steps = withdrawalTimeline({
            withdrawal,
            batches,
            events,
            config,
            postedAt: postedAt || undefined,
            now: l1Head.data!.timestamp,
          })
          return { withdrawal, steps }
        }),
      )
    },
    placeholderData: keepPreviousData,
  })
  if (!l2) return <NoL2 />
  if (timelines.error) return <ErrorNote error={timelines.error} />
  if (timelines.data === undefined) return <Loading what="withdrawals" />
  if (timelines.data === null) {
    return <Empty>This chain has no message passer yet: nothing can be withdrawn from it.</Empty>
  }
  if (timelines.data.length === 0) return <Empty>No withdrawal initiated on this chain yet.</Empty>
  return (
    <ul className="withdrawals">
      {timelines.data.map(({ withdrawal, steps }) => (
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
        </li>
      ))}
    </ul>
  )
}
