import { background } from '../api.ts'
import { short } from '../components.tsx'
import { useAsync } from '../use-async.ts'

export function RollupScreen() {
  const { data } = useAsync(() => background('ui:rollup', undefined), '', 2000)
  if (!data) return <p className="muted">Loading…</p>
  if ('error' in data) {
    return (
      <section className="card">
        <h2>Rollup</h2>
        <p className="error">{data.error}</p>
      </section>
    )
  }
  return (
    <section className="card stack">
      <h2>Rollup · chain {data.chainId}</h2>
      <dl className="facts">
        <dt>Head</dt>
        <dd>
          #{data.head} <span className="muted small">(#{data.persistedHead} on disk)</span>
        </dd>
        <dt>Pending txs</dt>
        <dd>{data.pendingTxs}</dd>
        <dt>Last batch</dt>
        <dd>{data.lastBatch ? `up to block #${data.lastBatch.l2BlockEnd ?? '?'}` : 'none posted yet'}</dd>
        <dt>Blob tx</dt>
        <dd>
          <code>{short(data.lastBatch?.blobTxHash)}</code>
        </dd>
        <dt>CID</dt>
        <dd>
          <code>{data.lastBatch?.cid ? short(data.lastBatch.cid) : '—'}</code>
        </dd>
      </dl>
    </section>
  )
}
