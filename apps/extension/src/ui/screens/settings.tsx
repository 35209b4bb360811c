import { background } from '../api.ts'
import { useWallet } from '../app.tsx'

export function SettingsScreen() {
  const { refresh } = useWallet()
  return (
    <section className="card stack">
      <h2>Settings</h2>
      <p className="muted">The wallet locks itself after 15 minutes without use.</p>
      <p className="muted">
        Policies: spending limits and session keys come with the policy engine (@seed/aa); this build has none, so every
        request asks you.
      </p>
      <button type="button" className="danger" onClick={() => background('ui:lock', undefined).then(refresh)}>
        Lock now
      </button>
    </section>
  )
}
