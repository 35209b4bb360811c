/**
 * The Rollup screen's replicas (issue 17): the agent adds a replica of its chain by JSON-RPC URL
 * (and the libp2p address it listens on, which the Worker gossips blocks to); each row shows the
 * last probe — head lag, last seen, whether its block matches this wallet's — and the reads the
 * wallet sent it while the embedded node was busy.
 */
import { type FormEvent, useState } from 'react'
import type { ReplicaRecord } from '../../core/storage.ts'
import { background } from '../api.ts'
import { ago, short } from '../components.tsx'
import { useAsync } from '../use-async.ts'

function health(r: ReplicaRecord): string {
  if (r.error) return r.error
  if (r.agrees === undefined) return 'not probed yet'
  return r.lag === 0 ? 'in sync' : `${r.lag} block${r.lag === 1 ? '' : 's'} behind`
}

export function Replicas() {
  const { data, reload } = useAsync(() => background('ui:replicas', undefined), '', 5000)
  const [url, setUrl] = useState('')
  const [p2p, setP2p] = useState('')
  const [error, setError] = useState<string>()
  const add = (e: FormEvent) => {
    e.preventDefault()
    setError(undefined)
    background('ui:addReplica', { url, ...(p2p ? { p2p } : {}) }).then(
      () => {
        setUrl('')
        setP2p('')
        reload()
      },
      (err: Error) => setError(err.message),
    )
  }
  const gossip = data?.gossip
  return (
    <section className="card stack" data-testid="replicas">
      <h2>Replicas</h2>
      <p className="muted small">
        Replicas of this chain (<code>rollup-lite node --agent &lt;id&gt;</code>) serve reads when the browser is busy
        or closed. {gossip?.enabled ? `Blocks are gossiped to ${gossip.topicPeers} peer(s).` : ''}
        {data && data.routed > 0 ? ` ${data.routed} read(s) answered by a replica.` : ''}
      </p>
      {data?.replicas.length ? (
        <ul className="list">
          {data.replicas.map((r) => (
            <li key={r.url} data-testid="replica" data-agrees={String(r.agrees === true)}>
              <code title={r.url}>{r.url}</code>
              {r.p2p && <span className="muted small"> · p2p {short(r.p2p)}</span>}
              <div className={r.agrees === false ? 'error small' : 'muted small'}>
                {health(r)}
                {r.head !== undefined && ` · head #${r.head}`}
                {` · last seen ${r.lastSeen ? ago(r.lastSeen) : 'never'}`}
              </div>
              <button
                type="button"
                onClick={() => background('ui:removeReplica', { url: r.url }).then(reload, () => {})}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No replicas yet.</p>
      )}
      <form className="stack" onSubmit={add}>
        <label>
          Replica JSON-RPC URL
          <input placeholder="http://127.0.0.1:8647" value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label>
          Its libp2p address (optional)
          <input placeholder="/ip4/127.0.0.1/tcp/9101/ws/p2p/…" value={p2p} onChange={(e) => setP2p(e.target.value)} />
        </label>
        <button type="submit" disabled={!url}>
          Add replica
        </button>
        {error && <p className="error small">{error}</p>}
      </form>
    </section>
  )
}
