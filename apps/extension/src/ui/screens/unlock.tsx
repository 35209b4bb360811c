import { type FormEvent, useState } from 'react'
import { background } from '../api.ts'
import { useAsync } from '../use-async.ts'

/** What waits for the unlock in the background (the rollup batcher's top-up), so a locked wallet says so. */
function WaitingForUnlock() {
  const { data } = useAsync(() => background('ui:rollup', undefined), '', 5000)
  const status = data && 'batching' in data ? data.batching?.topUp?.status : undefined
  return status ? <p className="error small">{status}</p> : null
}

export function UnlockScreen({ onDone }: { onDone: () => void }) {
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    try {
      await background('ui:unlock', { password })
      onDone()
    } catch (e) {
      setError((e as Error).message)
      setBusy(false)
    }
  }
  return (
    <form className="card stack" onSubmit={submit}>
      <h1>Unlock</h1>
      <p className="muted">Enter your password to use the wallet.</p>
      <WaitingForUnlock />
      <label>
        Password
        <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && <p className="error">{error}</p>}
      <button className="primary" type="submit" disabled={busy}>
        {busy ? 'Unlocking…' : 'Unlock'}
      </button>
    </form>
  )
}
