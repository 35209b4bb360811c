import { type DiscoveredAgent, SERVICE_KINDS } from '@seed/contracts'
import { useQuery } from '@tanstack/react-query'
import { createFileRoute, Link, useNavigate } from '@tanstack/react-router'
import { BountyTable } from '../components/BountyTable.tsx'
import { type Column, QueryTable } from '../components/QueryTable.tsx'
import { Replicas } from '../components/Replicas.tsx'
import { Empty, ErrorNote, Loading } from '../components/States.tsx'
import { agentDirectory, MAX_LISTED_AGENTS } from '../lib/agents.ts'
import { isOpen } from '../lib/bounties.ts'
import { useChain } from '../lib/chain-context.tsx'
import { short } from '../lib/format.ts'
import { agentSearchSchema } from '../lib/params.ts'
import { useBounties } from '../lib/use-bounties.ts'

export const Route = createFileRoute('/agents/')({ validateSearch: agentSearchSchema, component: Agents })

const KINDS = [
  ['', 'Any service'],
  [SERVICE_KINDS.rollupRpc, 'Rollup RPC'],
  [SERVICE_KINDS.x402, 'x402'],
  [SERVICE_KINDS.mcp, 'MCP'],
  [SERVICE_KINDS.web, 'Web'],
] as const

/** The identity registry's agents on this network's L1, each file checked here, filtered by service kind. */
function Agents() {
  const { network, chain } = useChain()
  const { kind } = Route.useSearch()
  const bounties = useBounties()
  const navigate = useNavigate({ from: Route.fullPath })
  const agents = useQuery({
    queryKey: ['agents', kind],
    queryFn: () => agentDirectory(network, kind),
  })
  return (
    <section>
      <h1>Agents</h1>
      <p className="muted">
        ERC-8004 identities on this network's L1. An agent is <strong>verified</strong> when its registration file's
        bytes hash to the CID its agentURI names (checked in this browser; the IPFS peer is only a transport), the file
        names this agent, and a wallet is on record. The newest {MAX_LISTED_AGENTS} registrations are read.
      </p>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault()
          const value = new FormData(event.currentTarget).get('kind')
          void navigate({ search: (prev) => ({ ...prev, kind: value ? String(value) : undefined }) })
        }}
      >
        <label>
          Service kind{' '}
          <select name="kind" defaultValue={kind ?? ''} key={kind ?? ''}>
            {KINDS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
            {kind && !KINDS.some(([value]) => value === kind) && <option value={kind}>{kind}</option>}
          </select>
        </label>
        <button type="submit">Filter agents</button>
      </form>
      <QueryTable
        query={agents}
        what="agents"
        empty={kind ? `No agent serves “${kind}” here.` : 'No agent registered on this network yet.'}
        className="agents"
        rowKey={(a) => String(a.agentId)}
        columns={AGENT_COLUMNS}
      />
      <h2>Open bounties</h2>
      <p className="muted">
        Work on agents' chains paid per epoch from Seed's bounty escrow (replicas, verification, pinning): funds left,
        slots and paid totals as the escrow holds them now.
      </p>
      {bounties.data === null ? (
        <Empty>No bounty contract on this network yet.</Empty>
      ) : (
        <BountyTable
          query={{ data: bounties.data?.filter(isOpen), error: bounties.error }}
          what="open bounties"
          empty="No open bounty on this network."
        />
      )}
      <h2>Replicas</h2>
      {bounties.data === null ? (
        <Empty>No bounty contract on this network yet: no replica is paid to serve a chain.</Empty>
      ) : bounties.data === undefined ? (
        bounties.error ? (
          <ErrorNote error={bounties.error} />
        ) : (
          <Loading what="replicas" />
        )
      ) : (
        <Replicas key={chain?.inbox} bounties={bounties.data} />
      )}
    </section>
  )
}

const AGENT_COLUMNS: Column<DiscoveredAgent>[] = [
  {
    header: 'Agent',
    cell: (a) => (
      <Link to="/agents/$agentId" params={{ agentId: a.agentId }}>
        #{String(a.agentId)}
      </Link>
    ),
  },
  { header: 'Name', cell: (a) => a.file?.name ?? <span className="muted">unknown</span> },
  { header: 'Services', cell: (a) => a.file?.services.map((s) => s.name).join(', ') || '—' },
  {
    header: 'File',
    cell: (a) =>
      a.verified ? (
        <span className="check ok">✓ verified</span>
      ) : (
        <span className="check bad">✗ {a.problems.join('; ')}</span>
      ),
  },
  {
    header: 'Owner',
    className: 'mono',
    cell: (a) => (
      <Link to="/l1/address/$address" params={{ address: a.owner }}>
        {short(a.owner)}
      </Link>
    ),
  },
]
