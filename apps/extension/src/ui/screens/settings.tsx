import { type FormEvent, useEffect, useState } from 'react'
import type { PolicyView, WalletSettings } from '../../core/protocol.ts'
import { background } from '../api.ts'
import { useAsync } from '../use-async.ts'
import { useWallet } from '../wallet-context.ts'

/** Policies (from @seed/aa's engine) and lock. */
export function SettingsScreen() {
  const { refresh } = useWallet()
  const { data: policy, reload } = useAsync(() => background('ui:policy', undefined))
  const [draft, setDraft] = useState<PolicyView['settings']>()
  const [frozen, setFrozen] = useState(false)
  const [message, setMessage] = useState<string>()
  const { data: settings } = useAsync(() => background('ui:settings', undefined))
  const [autoLock, setAutoLock] = useState<string>()
  const [lockMessage, setLockMessage] = useState<string>()
  useEffect(() => {
    if (!policy) return
    setDraft(policy.settings)
    setFrozen(policy.frozen)
  }, [policy])
  // Fill the field once, when the stored value arrives; never over what the user has typed since.
  useEffect(() => {
    if (settings) setAutoLock((typed) => typed ?? String(settings.autoLockMinutes))
  }, [settings])

  async function saveAutoLock(event: FormEvent) {
    event.preventDefault()
    try {
      const saved: WalletSettings = await background('ui:setSettings', { autoLockMinutes: Number(autoLock) })
      setLockMessage(`Locks after ${saved.autoLockMinutes} idle minutes.`)
    } catch (e) {
      setLockMessage((e as Error).message)
    }
  }

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
          Checked before every send and signature (permits and transfer authorisations count as spends, and each user
          operation's maximum fee counts against the ETH budget). Spent in the last 24 h: {policy?.spentTodayEth ?? '…'}{' '}
          ETH, {policy?.spentTodayUsd ?? '…'} USDS, plus {policy?.feesTodayEth ?? '…'} ETH in fees (requests in flight
          included).
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
              Max USDS per request (sends, permits)
              <input value={draft.perTxUsd} onChange={(e) => setDraft({ ...draft, perTxUsd: e.target.value })} />
            </label>
            <label>
              Max USDS per 24 h
              <input value={draft.dailyUsd} onChange={(e) => setDraft({ ...draft, dailyUsd: e.target.value })} />
            </label>
            <label>
              Ask me above (USDS, empty: never)
              <input
                value={draft.approvalAboveUsd ?? ''}
                onChange={(e) => setDraft({ ...draft, approvalAboveUsd: e.target.value || undefined })}
              />
            </label>
            <label>
              Max requests per minute
              <input
                type="number"
                value={draft.maxPerMinute}
                onChange={(e) => setDraft({ ...draft, maxPerMinute: Number(e.target.value) })}
              />
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.allowSignatures}
                onChange={(e) => setDraft({ ...draft, allowSignatures: e.target.checked })}
              />
              Allow signatures that spend nothing (messages, logins)
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.allowHashSigning}
                onChange={(e) => setDraft({ ...draft, allowHashSigning: e.target.checked })}
              />
              Allow sites to get 32-byte messages (hashes) signed
            </label>
            {draft.allowHashSigning && (
              <p className="warning small" role="alert">
                Danger: a 32-byte message is what a hash looks like. A signed hash can authorise anything your key
                controls, including moving all your funds. Leave this off unless you know exactly what a site signs.
              </p>
            )}
            <label>
              Value-moving EIP-712 types to allow (Permit2, orders; comma-separated)
              <input
                value={draft.allowSpendingSignTypes.join(', ')}
                onChange={(e) =>
                  setDraft({
                    ...draft,
                    allowSpendingSignTypes: e.target.value
                      .split(',')
                      .map((t) => t.trim())
                      .filter(Boolean),
                  })
                }
              />
            </label>
            <label>
              Max fee per gas (gwei)
              <input
                value={draft.maxFeePerGasGwei}
                onChange={(e) => setDraft({ ...draft, maxFeePerGasGwei: e.target.value })}
              />
            </label>
            <label>
              Max gas per user operation
              <input
                type="number"
                value={draft.maxGas}
                onChange={(e) => setDraft({ ...draft, maxGas: Number(e.target.value) })}
              />
            </label>
            <label className="check">
              <input type="checkbox" checked={frozen} onChange={(e) => setFrozen(e.target.checked)} />
              Kill switch: block every send and signature
            </label>
          </>
        )}
        {message && <p className="muted small">{message}</p>}
        <button className="primary" type="submit">
          Save policy
        </button>
      </form>
      <form className="card stack" onSubmit={saveAutoLock}>
        <h2>Security</h2>
        <label>
          Auto-lock after idle (minutes)
          <input
            type="number"
            min={0.1}
            step="any"
            value={autoLock ?? ''}
            disabled={autoLock === undefined}
            onChange={(e) => setAutoLock(e.target.value)}
          />
        </label>
        {lockMessage && <p className="muted small">{lockMessage}</p>}
        <button type="submit" disabled={autoLock === undefined}>
          Save auto-lock
        </button>
        <button type="button" className="danger" onClick={() => background('ui:lock', undefined).then(refresh)}>
          Lock now
        </button>
      </form>
    </div>
  )
}
