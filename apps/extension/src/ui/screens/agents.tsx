/**
 * ERC-8004 agents (decisions 0800, 0801): the wallet's own identity with the feedback it received
 * (the summary counts only paid feedback), the feedback it gave, and agents found by service kind,
 * each marked verified or not with the reasons; the bounties it posted, with their operators, and open ones.
 */
import { type FormEvent, useState } from 'react'
import type { AgentView, FeedbackView } from '../../core/protocol.ts'
import { background } from '../api.ts'
import { short } from '../components.tsx'
import { useAsync } from '../use-async.ts'
import { Bounties } from './bounties.tsx'

function Verified({ agent }: { agent: AgentView }) {
  return agent.verified ? (
    <span className="chip" data-testid="agent-verified">
      verified
    </span>
  ) : (
    <span className="chip error" data-testid="agent-unverified" title={agent.problems.join('; ')}>
      unverified: {agent.problems.join('; ')}
    </span>
  )
}

function AgentRow({ agent }: { agent: AgentView }) {
  return (
    <li className="row" data-testid="agent" data-agent-id={agent.agentId} data-verified={agent.verified}>
      <div>
        <div>
          #{agent.agentId} {agent.name ?? <span className="muted">(no readable file)</span>} <Verified agent={agent} />
        </div>
        <div className="muted small">
          {agent.agentURI || 'no URI'} · wallet {short(agent.agentWallet)}
        </div>
        {agent.services?.map((s) => (
          <div key={`${s.name}:${s.endpoint}`} className="muted small">
            {s.name}: {s.endpoint}
          </div>
        ))}
      </div>
    </li>
  )
}

function FeedbackList({ entries, label }: { entries: FeedbackView[]; label: string }) {
  if (!entries.length) return <p className="muted small">No feedback {label}.</p>
  return (
    <ul className="list" aria-label={`Feedback ${label}`}>
      {entries.map((f) => (
        <li key={`${f.agentId}:${f.clientAddress}:${f.feedbackIndex}`} className="row" data-testid="feedback">
          <div>
            <div>
              {f.value} {f.tag1 && <span className="chip">{f.tag1}</span>}{' '}
              {f.revoked && <span className="chip">revoked</span>}
              <span className={f.paid ? 'chip' : 'chip error'}>
                {f.paid ? 'paid' : `not counted: ${f.unpaidReason}`}
              </span>
            </div>
            <div className="muted small">
              agent #{f.agentId} from {short(f.clientAddress)} · {f.responses} response(s)
            </div>
          </div>
        </li>
      ))}
    </ul>
  )
}

function FindAgents() {
  const [kind, setKind] = useState('rollup-rpc')
  const [found, setFound] = useState<AgentView[]>()
  const [error, setError] = useState<string>()
  const find = (event: FormEvent) => {
    event.preventDefault()
    setError(undefined)
    background('ui:findAgents', { kind }).then(setFound, (e: Error) => setError(e.message))
  }
  return (
    <form className="card stack" onSubmit={find}>
      <h2>Find agents</h2>
      <label>
        Service kind
        <input value={kind} onChange={(e) => setKind(e.target.value)} maxLength={100} aria-label="Service kind" />
      </label>
      <button type="submit" className="primary">
        Find
      </button>
      {error && <p className="error">{error}</p>}
      {found && !found.length && <p className="muted">No agent offers “{kind}”.</p>}
      <ul className="list" aria-label="Agents found">
        {found?.map((agent) => (
          <AgentRow key={agent.agentId} agent={agent} />
        ))}
      </ul>
    </form>
  )
}

export function AgentsScreen() {
  const { data, error } = useAsync(() => background('ui:agents', undefined))
  return (
    <div className="stack">
      <section className="card stack">
        <h2>My agent identity</h2>
        {error && <p className="error">{error}</p>}
        {!data && !error && <p className="muted">Loading…</p>}
        {data && !data.mine.length && <p className="muted">This account has no ERC-8004 identity on this network.</p>}
        {data?.mine.map(({ agent, reputation }) => (
          <div key={agent.agentId} className="stack">
            <ul className="list">
              <AgentRow agent={agent} />
            </ul>
            <p data-testid="reputation-summary">
              Paid feedback: {reputation.paid.count} (mean {reputation.paid.value}) · all feedback:{' '}
              {reputation.all.count}
            </p>
            <FeedbackList entries={reputation.entries} label="received" />
          </div>
        ))}
        {data && <p className="muted small">Identity registry {short(data.registries.identity)}</p>}
      </section>
      <section className="card stack">
        <h2>Feedback given</h2>
        {data && <FeedbackList entries={data.given} label="given" />}
      </section>
      <Bounties />
      <FindAgents />
    </div>
  )
}
