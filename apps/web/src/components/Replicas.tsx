/**
 * The selected chain's replicas: who serves it for a bounty, its uptime from paid feedback, and live, on
 * every head of the chain, how many blocks each replica's public RPC is behind it, charted.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { formatUnits } from 'viem'
import type { BountyView } from '../lib/bounties.ts'
import { useChain } from '../lib/chain-context.tsx'
import { useHead } from '../lib/live.ts'
import { listReplicas, type Replica } from '../lib/replicas.ts'
import { type LagSample, useLagProbe } from '../lib/use-lag-probe.ts'
import { LazyChart } from './LazyChart.tsx'
import { type Column, QueryTable } from './QueryTable.tsx'
import { Empty } from './States.tsx'

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2']

export function Replicas({ bounties }: { bounties: readonly BountyView[] }) {
  const { network, chain, l2, key } = useChain()
  const head = useHead('l2')
  // The rows change when a slot does; the probe below follows the head on its own.
  const slotsKey = bounties.map((b) => `${b.bountyId}:${b.operatorSlots.map((s) => `${s.agentId}${s.closed}`)}`)
  const replicas = useQuery({
    queryKey: ['replicas', ...key, slotsKey],
    enabled: chain !== undefined,
    queryFn: () => listReplicas(network, bounties, chain!.inbox),
    placeholderData: keepPreviousData,
  })
  const samples = useLagProbe(replicas.data, head.data?.number)
  if (!chain) return <Empty>No chain selected.</Empty>
  const latest = samples.at(-1)
  const columns: Column<Replica>[] = [
    ...REPLICA_COLUMNS,
    { header: 'Head lag', cell: (r) => lagText(latest, r, l2 !== undefined) },
  ]
  return (
    <>
      <p className="muted">
        Chain {String(chain.chainId)}: agents in a replica bounty for its inbox. Uptime counts only <code>uptime</code>{' '}
        feedback a payment backs; the lag is each replica's <code>eth_blockNumber</code> against this chain's head,
        probed from this browser on every new head.
      </p>
      <QueryTable
        query={replicas}
        what="replicas"
        empty="No agent serves a replica of this chain for a bounty yet."
        className="replicas"
        rowKey={(r) => String(r.agentId)}
        columns={columns}
      />
      {replicas.data && replicas.data.length > 0 && l2 && (
        <LazyChart
          title="Replica head lag"
          unit="blocks"
          x={samples.map((s) => s.time)}
          xLabel="time"
          time
          digits={0}
          series={replicas.data.map((r, i) => ({
            label: `#${r.agentId}`,
            color: COLORS[i % COLORS.length]!,
            values: samples.map((s) => s.lags.get(r.agentId) ?? null),
          }))}
        />
      )}
    </>
  )
}

function lagText(sample: LagSample | undefined, r: Replica, readable: boolean) {
  if (!r.rpcUrl) return 'no rollup-rpc in its file'
  if (!readable) return 'this chain cannot be read here'
  if (!sample) return 'probing…'
  const lag = sample.lags.get(r.agentId)
  if (lag === undefined || lag === null) return `unreachable: ${sample.errors.get(r.agentId) ?? 'no answer'}`
  return lag <= 0 ? 'at the head' : `${lag} block${lag === 1 ? '' : 's'} behind`
}

const REPLICA_COLUMNS: Column<Replica>[] = [
  {
    header: 'Agent',
    cell: (r) => (
      <Link to="/agents/$agentId" params={{ agentId: r.agentId }}>
        #{String(r.agentId)}
        {r.agent?.file ? ` · ${r.agent.file.name}` : ''}
      </Link>
    ),
  },
  { header: 'Bounties', cell: (r) => r.bountyIds.map((id) => `#${id}`).join(', ') },
  { header: 'Public RPC', className: 'mono wrap', cell: (r) => r.rpcUrl ?? '—' },
  {
    header: 'Uptime',
    cell: (r) =>
      r.uptime.count === 0
        ? 'no paid review yet'
        : `${formatUnits(r.uptime.value, r.uptime.valueDecimals)} over ${r.uptime.count} paid review${r.uptime.count === 1 ? '' : 's'}`,
  },
]
