import { background } from '../api.ts'
import { ago, short } from '../components.tsx'
import { useAsync } from '../use-async.ts'

const LABEL = {
  userOp: 'User op',
  l2Tx: 'L2 tx',
  signature: 'Signature',
  connect: 'Connect',
  batch: 'Batch',
  deploy: 'Deploy',
} as const

export function ActivityScreen() {
  const { data: items } = useAsync(() => background('ui:activity', undefined), '', 3000)
  return (
    <section className="card">
      <h2>Activity</h2>
      {!items?.length && <p className="muted">Nothing yet.</p>}
      <ul className="list">
        {items?.map((item) => (
          <li key={item.id}>
            <div className="row">
              <span className={`badge ${item.status}`}>{LABEL[item.kind]}</span>
              <span className="muted small">{ago(item.at)}</span>
            </div>
            <div>{item.summary}</div>
            <div className="muted small">
              {item.origin} · chain {item.chainId}
              {item.hash && (
                <>
                  {' · '}
                  {item.kind === 'batch' ? 'blob tx' : 'tx'} {short(item.hash)}
                </>
              )}
              {item.userOpHash && <> · op {short(item.userOpHash)}</>}
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
}
