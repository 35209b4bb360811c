/** Bounties as the Agents page and an agent's page list them: terms, funds left, slots, operators, paid. */
import { Link } from '@tanstack/react-router'
import type { ReactNode } from 'react'
import type { BountyView } from '../lib/bounties.ts'
import { useChain } from '../lib/chain-context.tsx'
import { short, units } from '../lib/format.ts'
import { type Column, QueryTable } from './QueryTable.tsx'

const amount = (b: BountyView, value: bigint) => units(value, b.tokenDecimals, b.tokenSymbol)

function slots(b: BountyView) {
  const state = b.closing ? 'closing' : b.operators >= b.maxOperators ? 'full' : 'open'
  return `${b.operators} of ${b.maxOperators} taken · ${state}`
}

function ChainOf({ b }: { b: BountyView }) {
  const { known } = useChain()
  const chain = known?.find((c) => c.inbox.toLowerCase() === b.inbox.toLowerCase())
  // The link selects that chain: its replicas (with their uptime and lag) are on the Agents page.
  return (
    <Link to="/agents" search={(prev) => ({ ...prev, chain: b.inbox, rpc: undefined })}>
      {chain ? `Chain ${chain.chainId}` : short(b.inbox)}
    </Link>
  )
}

const COLUMNS: Column<BountyView>[] = [
  {
    header: 'Bounty',
    cell: (b) => (
      <Link
        to="/l1/tx/$hash"
        params={{ hash: b.postedIn }}
        aria-label={`Bounty #${b.bountyId}, posted in ${b.postedIn}`}
      >
        #{String(b.bountyId)}
      </Link>
    ),
  },
  { header: 'Kind', cell: (b) => b.kind },
  { header: 'Chain', cell: (b) => <ChainOf b={b} /> },
  { header: 'Price', cell: (b) => `${amount(b, b.pricePerEpoch)} per ${b.epochLength} s epoch` },
  { header: 'Funds left', cell: (b) => amount(b, b.fundsLeft) },
  { header: 'Slots', cell: slots },
  {
    header: 'Operators',
    cell: (b) =>
      b.operatorSlots.length === 0
        ? '—'
        : b.operatorSlots.map((s) => (
            <div key={String(s.agentId)}>
              <Link to="/agents/$agentId" params={{ agentId: s.agentId }}>
                #{String(s.agentId)}
              </Link>{' '}
              paid {amount(b, s.claimed)}
              {s.closed ? ' (left)' : ''}
            </div>
          )),
  },
  { header: 'Paid', cell: (b) => amount(b, b.paid) },
  {
    header: 'Poster',
    className: 'mono',
    cell: (b) => (
      <Link to="/l1/address/$address" params={{ address: b.poster }}>
        {short(b.poster)}
      </Link>
    ),
  },
]

export function BountyTable({
  query,
  what,
  empty,
}: {
  query: { data: readonly BountyView[] | undefined; error: unknown }
  what: string
  empty: ReactNode
}) {
  return (
    <QueryTable
      query={query}
      what={what}
      empty={empty}
      className="bounties"
      rowKey={(b) => String(b.bountyId)}
      columns={COLUMNS}
    />
  )
}
