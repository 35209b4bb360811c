import { type FormEvent, useEffect, useState } from 'react'
import type { PolicyView } from '../../core/protocol.ts'
import { background } from '../api.ts'
import { useWallet } from '../app.tsx'
import { useAsync } from '../use-async.ts'

/** Policies (from @seed/aa's engine) and lock. */
export function SettingsScreen() {
  const { refresh } = useWallet()
  const { data: policy, reload } = useAsync(() => background('ui:policy', undefined))
  const [draft, setDraft] = useState<PolicyView['settings']>()
  const [frozen, setFrozen] = useState(false)
  const [message, setMessage] = useState<string>()
  useEffect(() => {
    if (!policy) return
    setDraft(policy.settings)
    setFrozen(policy.frozen)
  }, [policy])

  async function save(event: FormEvent) {
    event.preventDefault()
    if (!draft) return
    try {
      await background('ui:setPolicy', { settings: draft, frozen })
      setMessage('Saved.')
      reload()
    } catch (e) {
      setMessage((e as Error).message)
    }
  }

  return (
    <div className="stack">
      <form className="card stack" onSubmit={save}>
        <h2>Policy</h2>
        <p className="muted small">
          Checked before every send. Spent in the last 24 h: {policy?.spentTodayEth ?? '…'} ETH
        </p>
        {draft && (
          <>
            <label>
              Max ETH per transaction
              <input value={draft.perTxEth} onChange={(e) => setDraft({ ...draft, perTxEth: e.target.value })} />
            </label>
            <label>
              Max ETH per 24 h
              <input value={draft.dailyEth} onChange={(e) => setDraft({ ...draft, dailyEth: e.target.value })} />
            </label>
            <label>
              Max sends per minute
              <input
                type="number"
                value={draft.maxPerMinute}
                onChange={(e) => setDraft({ ...draft, maxPerMinute: Number(e.target.value) })}
              />
            </label>
            <label className="check">
              <input type="checkbox" checked={frozen} onChange={(e) => setFrozen(e.target.checked)} />
              Kill switch: block every send
            </label>
          </>
        )}
        {message && <p className="muted small">{message}</p>}
        <button className="primary" type="submit">
          Save policy
        </button>
      </form>
      <section className="card stack">
        <h2>Security</h2>
        <p className="muted small">The wallet locks itself after 15 minutes without use.</p>
        <button type="button" className="danger" onClick={() => background('ui:lock', undefined).then(refresh)}>
          Lock now
        </button>
      </section>
    </div>
  )
}
