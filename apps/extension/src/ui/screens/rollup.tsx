import { Link } from '@tanstack/react-router'
import { useState } from 'react'
import type { ProviderRpcError } from '../../core/errors.ts'
import { background } from '../api.ts'
import { ago, short } from '../components.tsx'
import { useAsync } from '../use-async.ts'
import { Replicas } from './replicas.tsx'

const TOP_UP_LABEL = { signed: 'signing', submitted: 'sent', confirmed: 'confirmed', failed: 'failed' } as const

/** Sets up the agent's inbox + batcher (one user op from the smart account; decision 0405). */
function EnableBatching({ onDone }: { onDone: () => void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ message: string; needsFunds: boolean }>()
  const enable = () => {
    setBusy(true)
    setError(undefined)
    background('ui:enableBatching', undefined)
      .then(onDone, (e: ProviderRpcError) =>
        setError({
          message: e.message,
          needsFunds: (e.data as { reason?: string } | undefined)?.reason === 'insufficientFunds',
        }),
      )
      .finally(() => setBusy(false))
  }
  return (
    <div className="stack">
      <p className="muted small">
        Blocks are sequenced here but not yet posted to L1. Batching creates this agent's inbox on L1 and funds its
        batcher from the smart account.
      </p>
      <button type="button" className="primary" disabled={busy} onClick={enable}>
        {busy ? 'Setting up…' : 'Start batching to L1'}
      </button>
      {error && <p className="error">{error.message}</p>}
      {error?.needsFunds && (
        <Link to="/fund" className="button">
          Fund your agent
        </Link>
      )}
    </div>
  )
}

export function RollupScreen() {
  const { data, reload } = useAsync(() => background('ui:rollup', undefined), '', 2000)
  if (!data) return <p className="muted">Loading…</p>
  if ('error' in data) {
    return (
      <section className="card">
        <h2>Rollup</h2>
        <p className="error">{data.error}</p>
      </section>
    )
  }
  const last = data.lastBatch
  const topUp = data.batching?.topUp
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
        <dd>
          {last
            ? `${last.index === undefined ? '' : `#${last.index} · `}blocks #${last.firstBlock ?? '?'}–#${last.l2BlockEnd ?? '?'}`
            : 'none posted yet'}
          {last?.at && <span className="muted small"> ({ago(last.at)})</span>}
        </dd>
        <dt>Blob tx</dt>
        <dd>
          <code title={last?.blobTxHash}>{short(last?.blobTxHash)}</code>
        </dd>
        <dt>CID</dt>
        <dd>
          <code title={last?.cid}>{last?.cid ? short(last.cid) : '—'}</code>
        </dd>
        {data.batching && (
          <>
            <dt>Inbox</dt>
            <dd>
              <code title={data.batching.inbox}>{short(data.batching.inbox)}</code>
            </dd>
            <dt>Batcher</dt>
            <dd>
              <code title={data.batching.batcher}>{short(data.batching.batcher)}</code>
              {data.batching.batcherBalanceEth && (
                <span className="muted small"> · {Number(data.batching.batcherBalanceEth).toFixed(4)} ETH</span>
              )}
            </dd>
            <dt>Batches</dt>
            <dd>{data.batching.batches}</dd>
            <dt>Last top-up</dt>
            <dd>
              {topUp?.last ? (
                <>
                  {Number(topUp.last.amountEth).toFixed(4)} ETH · {TOP_UP_LABEL[topUp.last.status]}
                  <span className="muted small"> ({ago(topUp.last.at)})</span>
                </>
              ) : (
                'none'
              )}
            </dd>
          </>
        )}
      </dl>
      {topUp?.status && (
        <p className={`${topUp.status.startsWith('Batcher low') ? 'error' : 'muted'} small`}>{topUp.status}</p>
      )}
      {data.batching?.lastEvent?.startsWith('waiting: error') && (
        <p className="error small">{data.batching.lastEvent}</p>
      )}
      {!data.batching && <EnableBatching onDone={reload} />}
      <Replicas />
    </section>
  )
}
