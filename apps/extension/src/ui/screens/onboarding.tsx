import { useNavigate } from '@tanstack/react-router'
import { type FormEvent, useState } from 'react'
import type { Hex } from 'viem'
import { background } from '../api.ts'

export function OnboardingScreen({ onDone }: { onDone: () => void }) {
  const [mode, setMode] = useState<'create' | 'import'>('create')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [privateKey, setPrivateKey] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const navigate = useNavigate()

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (password.length < 8) return setError('Use at least 8 characters.')
    if (password !== confirm) return setError('The passwords differ.')
    if (mode === 'import' && !/^0x[0-9a-fA-F]{64}$/.test(privateKey))
      return setError('A private key is 0x + 64 hex digits.')
    setBusy(true)
    try {
      await background('ui:create', { password, privateKey: mode === 'import' ? (privateKey as Hex) : undefined })
      // A new wallet holds nothing: onboarding ends on the Fund screen (decision 0432).
      await navigate({ to: '/fund' })
      onDone()
    } catch (e) {
      setError((e as Error).message)
      setBusy(false)
    }
  }

  return (
    <form className="card stack" onSubmit={submit}>
      <h1>Welcome to Seed</h1>
      <p className="muted">
        A wallet for your agent: an ERC-4337 smart account on the devnet, and an EOA on the embedded rollup.
      </p>
      <div className="segmented">
        <button type="button" className={mode === 'create' ? 'on' : ''} onClick={() => setMode('create')}>
          Create new
        </button>
        <button type="button" className={mode === 'import' ? 'on' : ''} onClick={() => setMode('import')}>
          Import key
        </button>
      </div>
      {mode === 'import' && (
        <label>
          Owner private key
          <input
            name="privateKey"
            value={privateKey}
            onChange={(e) => setPrivateKey(e.target.value.trim())}
            placeholder="0x…"
          />
        </label>
      )}
      <label>
        Password
        <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label>
        Confirm password
        <input name="confirm" type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </label>
      {error && <p className="error">{error}</p>}
      <button className="primary" type="submit" disabled={busy}>
        {busy ? 'Creating…' : mode === 'create' ? 'Create wallet' : 'Import wallet'}
      </button>
    </form>
  )
}
