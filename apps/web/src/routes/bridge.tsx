import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { createFileRoute, Link } from '@tanstack/react-router'
import type { Address, Hash } from 'viem'
import { DepositForm } from '../components/DepositForm.tsx'
import { NotFound } from '../components/NotFound.tsx'
import { type Column, QueryTable } from '../components/QueryTable.tsx'
import { Empty, Loading, QueryView } from '../components/States.tsx'
import { WalletBar } from '../components/WalletBar.tsx'
import { Withdrawals } from '../components/Withdrawals.tsx'
import { WithdrawForm } from '../components/WithdrawForm.tsx'
import { bridgeConfig, type Challenge, type Deposit, listChallenges, listDeposits } from '../lib/bridge.ts'
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
      <h2>Your Seed wallet</h2>
      <WalletBar />
      <h2>Deposit ETH</h2>
      {config.data ? <DepositForm inbox={inbox} /> : <Empty>No deposits into a chain without a bridge config.</Empty>}
      <h2>Deposits</h2>
      <QueryTable
        query={deposits}
        what="deposits"
        empty="No deposit into this chain yet."
        className="deposits"
        rowKey={(d) => String(d.nonce)}
        columns={DEPOSIT_COLUMNS}
      />
      <h2>Withdraw ETH</h2>
      {config.data ? <WithdrawForm /> : <Empty>No withdrawals from a chain without a bridge config.</Empty>}
      <h2>Withdrawals</h2>
      <Withdrawals inbox={inbox} />
      <h2>Challenges</h2>
      <QueryTable
        query={challenges}
        what="challenges"
        empty="No output of this chain has been challenged."
        className="challenges"
        rowKey={(c) => `${c.index}-${c.outputRoot}`}
        columns={CHALLENGE_COLUMNS}
      />
    </section>
  )
}

const l1TxLink = (hash: Hash) => (
  <Link to="/l1/tx/$hash" params={{ hash }}>
    {short(hash, 12)}
  </Link>
)

const DEPOSIT_COLUMNS: Column<Deposit>[] = [
  { header: 'Nonce', cell: (d) => String(d.nonce) },
  { header: 'From', cell: (d) => short(d.from), className: 'mono' },
  { header: 'To (L2)', cell: (d) => short(d.to), className: 'mono' },
  { header: 'Mint', cell: (d) => eth(d.mint) },
  { header: 'Value', cell: (d) => eth(d.value) },
  { header: 'L1 tx', cell: (d) => l1TxLink(d.l1TxHash), className: 'mono' },
]

const CHALLENGE_COLUMNS: Column<Challenge>[] = [
  { header: 'Output', cell: (c) => `#${c.index}` },
  { header: 'Root', cell: (c) => short(c.outputRoot, 12), className: 'mono' },
  { header: 'Challenger', cell: (c) => short(c.challenger), className: 'mono' },
  { header: 'Outcome', cell: (c) => c.outcome },
  { header: 'L1 tx', cell: (c) => l1TxLink(c.l1TxHash), className: 'mono' },
]
