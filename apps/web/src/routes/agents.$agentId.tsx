import type { CheckedFeedback, DiscoveredAgent } from '@seed/contracts'
import { useQuery } from '@tanstack/react-query'
import { createFileRoute, Link } from '@tanstack/react-router'
import { type Address, formatUnits, zeroAddress } from 'viem'
import { BountyTable } from '../components/BountyTable.tsx'
import { NotFound } from '../components/NotFound.tsx'
import { type Column, QueryTable } from '../components/QueryTable.tsx'
import { Empty, ErrorNote, Loading, QueryView } from '../components/States.tsx'
import { agentDetail, agentReputation, walletProof } from '../lib/agents.ts'
import { joinedBy, postedBy } from '../lib/bounties.ts'
import { useChain } from '../lib/chain-context.tsx'
import { short } from '../lib/format.ts'
import { agentIdSchema, pathParam } from '../lib/params.ts'
import { useBounties } from '../lib/use-bounties.ts'

export const Route = createFileRoute('/agents/$agentId')({
  params: pathParam('agentId', agentIdSchema),
  component: AgentPage,
})

function AgentPage() {
  const { agentId } = Route.useParams()
  const { network } = useChain()
  const agent = useQuery({ queryKey: ['agent', String(agentId)], queryFn: () => agentDetail(network, agentId) })
  if (agent.error) return <ErrorNote error={agent.error} />
  if (agent.isPending) return <Loading what={`agent #${agentId}`} />
  if (!agent.data) return <NotFound what={`No agent #${agentId} in this network's identity registry.`} />
  return <Agent agent={agent.data} />
}

function Agent({ agent }: { agent: DiscoveredAgent }) {
  const { network } = useChain()
  const id = String(agent.agentId)
  const proof = useQuery({
    queryKey: ['agent-wallet-proof', id, agent.agentWallet],
    queryFn: () => walletProof(network, agent),
  })
  const reputation = useQuery({
    queryKey: ['agent-reputation', id, agent.agentWallet],
    queryFn: () => agentReputation(network, agent),
  })
  const bounties = useBounties()
  const posters = agent.agentWallet === zeroAddress ? [agent.owner] : [agent.owner, agent.agentWallet]
  return (
    <section>
      <h1>
        Agent #{id}
        {agent.file ? ` · ${agent.file.name}` : ''}
      </h1>
      <p id="agent-verified" className={agent.verified ? 'check ok' : 'check bad'} role="status">
        {agent.verified
          ? '✓ Verified: the file hashes to its CID (checked in this browser), names this agent, and a wallet is on record.'
          : `✗ Unverified: ${agent.problems.join('; ')}.`}
      </p>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">Owner</th>
            <td className="mono wrap">
              <Link to="/l1/address/$address" params={{ address: agent.owner }}>
                {agent.owner}
              </Link>
            </td>
          </tr>
          <tr>
            <th scope="row">Agent wallet</th>
            <td className="mono wrap">{agent.agentWallet}</td>
          </tr>
          <tr>
            <th scope="row">Wallet proof</th>
            <td id="wallet-proof">
              <QueryView query={proof} what="the wallet proof">
                {(p) =>
                  p.kind === 'none'
                    ? 'No wallet on record.'
                    : p.kind === 'registrant'
                      ? 'The registrant itself (set by register, no signature needed).'
                      : p.kind === 'unreadable'
                        ? 'Set by a transaction whose setAgentWallet call could not be read.'
                        : p.valid
                          ? `✓ AgentWalletSet signature by the ${p.signer} verified in this browser.`
                          : `✗ The AgentWalletSet signature does not verify for the ${p.signer}.`
                }
              </QueryView>
            </td>
          </tr>
          <tr>
            <th scope="row">agentURI</th>
            <td className="mono wrap">
              {agent.agentURI.startsWith('ipfs://') && network.ipfsUrl ? (
                <a href={`${network.ipfsUrl}/ipfs/${agent.agentURI.slice('ipfs://'.length)}`}>{agent.agentURI}</a>
              ) : (
                agent.agentURI || '—'
              )}
            </td>
          </tr>
          {agent.file && (
            <>
              <tr>
                <th scope="row">Description</th>
                <td>{agent.file.description || '—'}</td>
              </tr>
              <tr>
                <th scope="row">x402</th>
                <td>{agent.file.x402Support ? 'supported' : 'not supported'}</td>
              </tr>
              <tr>
                <th scope="row">Trust models</th>
                <td>{agent.file.supportedTrust.join(', ') || '—'}</td>
              </tr>
            </>
          )}
        </tbody>
      </table>
      <h2>Services</h2>
      {!agent.file ? (
        <Empty>The registration file could not be read.</Empty>
      ) : agent.file.services.length === 0 ? (
        <Empty>The file lists no service.</Empty>
      ) : (
        <ul className="services">
          {agent.file.services.map((s) => (
            <li key={`${s.name}-${s.endpoint}`}>
              <strong>{s.name}</strong> <span className="mono wrap">{s.endpoint}</span>
              {s.version ? ` (v${s.version})` : ''}
            </li>
          ))}
        </ul>
      )}
      <h2>Bounties</h2>
      {bounties.data === null ? (
        <Empty>No bounty contract on this network yet.</Empty>
      ) : (
        <>
          <h3>Posted</h3>
          <BountyTable
            query={{ data: bounties.data?.filter((b) => postedBy(b, posters)), error: bounties.error }}
            what="bounties posted"
            empty="This agent (its owner or its wallet) posted no bounty."
          />
          <h3>Joined</h3>
          <BountyTable
            query={{ data: bounties.data?.filter((b) => joinedBy(b, agent.agentId)), error: bounties.error }}
            what="bounties joined"
            empty="This agent joined no bounty."
          />
        </>
      )}
      <h2>Reputation</h2>
      <QueryView query={reputation} what="feedback">
        {(r) => (
          <>
            <p id="reputation-summary">
              Paid feedback: <strong>{r.paid.count}</strong>
              {r.paid.count > 0 ? `, average ${formatUnits(r.paid.value, r.paid.valueDecimals)}` : ''} · all feedback:{' '}
              {r.all.count}
              {r.all.count > 0 ? `, average ${formatUnits(r.all.value, r.all.valueDecimals)}` : ''}.{' '}
              <span className="muted">
                Only entries whose feedback file cites a payment from the giver to the agent's wallet, found on chain,
                count (one payment, one entry). Feedback given since L1 block {String(r.fromBlock)} is read.
              </span>
            </p>
            <QueryTable
              query={{ data: r.entries, error: null }}
              what="feedback received"
              empty="No feedback yet."
              className="feedback"
              rowKey={({ entry }) => `${entry.clientAddress}-${entry.feedbackIndex}`}
              rowClassName={({ entry }) => (entry.isRevoked ? 'revoked' : undefined)}
              columns={FEEDBACK_COLUMNS}
            />
          </>
        )}
      </QueryView>
    </section>
  )
}

const feedbackLink = (address: Address) => (
  <Link to="/l1/address/$address" params={{ address }}>
    {short(address)}
  </Link>
)

const FEEDBACK_COLUMNS: Column<CheckedFeedback>[] = [
  { header: 'From', className: 'mono', cell: ({ entry }) => feedbackLink(entry.clientAddress) },
  {
    header: 'Value',
    cell: ({ entry }) => `${formatUnits(entry.value, entry.valueDecimals)}${entry.isRevoked ? ' (revoked)' : ''}`,
  },
  { header: 'Tags', cell: ({ entry }) => [entry.tag1, entry.tag2].filter(Boolean).join(', ') || '—' },
  {
    header: 'Payment',
    cell: ({ check }) =>
      check.paid ? (
        <Link to="/l1/tx/$hash" params={{ hash: check.txHash }} className="check ok">
          ✓ paid
        </Link>
      ) : (
        <span className="check bad">✗ {check.reason}</span>
      ),
  },
  {
    header: 'Responses',
    cell: ({ entry }) =>
      entry.responses.length === 0
        ? '—'
        : entry.responses.map((r) => (
            <div key={`${r.responder}-${r.responseURI}`} className="mono">
              {short(r.responder)}: {r.responseURI || '(no URI)'}
            </div>
          )),
  },
]
