/** The permissions list: every ERC-7715 grant, its allowance and expiry, revocable at once. */
import { useState } from 'react'
import type { GrantView } from '../../core/protocol.ts'
import { background } from '../api.ts'
import { useAsync } from '../use-async.ts'
import { allowanceText, expiryText, renewalText, targetsOf } from './grant-format.ts'

function statusOf(grant: GrantView) {
  if (grant.status !== 'active') return grant.status
  return grant.expiry * 1000 <= Date.now() ? 'expired' : 'active'
}

export function GrantsList() {
  const { data: grants, reload } = useAsync(() => background('ui:grants', undefined))
  const [busy, setBusy] = useState<string>()
  const [error, setError] = useState<string>()

  async function revoke(context: GrantView['context']) {
    setBusy(context)
    setError(undefined)
    try {
      await background('ui:revokeGrant', { context })
    } catch (e) {
      setError((e as Error).message)
    }
    setBusy(undefined)
    reload()
  }

  return (
    <section className="card" aria-label="Permissions">
      <h2>Permissions (ERC-7715)</h2>
      {!grants?.length && <p className="muted">No site holds a spending permission.</p>}
      {error && <p className="error">{error}</p>}
      <ul className="list">
        {grants?.map((grant) => {
          const status = statusOf(grant)
          return (
            <li key={grant.context} className="row grant-row" data-status={status}>
              <div>
                <div>{grant.origin}</div>
                {grant.permissions.map((p) => (
                  <div key={p.type + targetsOf(p).join()} className="small">
                    {allowanceText(p)} {renewalText(grant.period)} · to {targetsOf(p).length} target
                    {targetsOf(p).length === 1 ? '' : 's'}
                  </div>
                ))}
                <div className="muted small">
                  <span className="grant-status">{status}</span> · expires {expiryText(grant.expiry)}
                </div>
              </div>
              {status !== 'revoked' && (
                <button type="button" disabled={busy !== undefined} onClick={() => revoke(grant.context)}>
                  {busy === grant.context ? 'Revoking…' : 'Revoke'}
                </button>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
