/**
 * Paired agents (decision 0600): pair a local `seed-agent` (its bridge address, then the code it shows,
 * typed here, and the grant), list the pairings with what is left of each grant, revoke at once.
 */
import { useState } from 'react'
import type { PairingView } from '../../core/protocol.ts'
import type { PairingOffer } from '../../core/storage.ts'
import { background } from '../api.ts'
import { ago } from '../components.tsx'
import { useAsync } from '../use-async.ts'

const DAY_MS = 86_400_000

function PairForm({ onDone }: { onDone: () => void }) {
  const [bridgeUrl, setBridgeUrl] = useState('ws://127.0.0.1:7402')
  const [offer, setOffer] = useState<PairingOffer>()
  const [error, setError] = useState<string>()
  const [code, setCode] = useState('')
  const [grant, setGrant] = useState({
    budgetEth: '0.1',
    budgetUsd: '10',
    allowedTargets: '',
    days: '7',
    approvalAboveEth: '0.01',
    approvalAboveUsd: '1',
  })
  const field = (key: keyof typeof grant, label: string) => (
    <label>
      {label}
      <input name={key} value={grant[key]} onChange={(e) => setGrant({ ...grant, [key]: e.target.value })} />
    </label>
  )
  const run = (action: () => Promise<unknown>) => action().catch((e: Error) => setError(e.message))
  const decide = (approve: boolean) =>
    run(async () => {
      await background('ui:pairDecide', {
        offerId: offer!.id,
        code,
        grant: approve
          ? {
              budgetEth: grant.budgetEth,
              budgetUsd: grant.budgetUsd,
              allowedTargets: grant.allowedTargets.split(/[\s,]+/).filter(Boolean) as `0x${string}`[],
              expiresAt: Date.now() + Number(grant.days) * DAY_MS,
              approvalAboveEth: grant.approvalAboveEth,
              approvalAboveUsd: grant.approvalAboveUsd,
            }
          : undefined,
      })
      setOffer(undefined)
      onDone()
    })
  if (!offer) {
    return (
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault()
          setError(undefined)
          run(async () => setOffer(await background('ui:pairStart', { bridgeUrl })))
        }}
      >
        <label>
          Agent bridge (run <code>seed-agent pair</code>)
          <input name="bridgeUrl" value={bridgeUrl} onChange={(e) => setBridgeUrl(e.target.value)} />
        </label>
        <button type="submit">Pair an agent</button>
        {error && <p className="error">{error}</p>}
      </form>
    )
  }
  return (
    <div className="stack" data-testid="pairing-offer">
      <p>
        <strong>{offer.name}</strong> asks to use this wallet. Type the code its terminal shows (only that agent knows
        it):
      </p>
      <label>
        Pairing code
        <input
          name="code"
          className="code"
          inputMode="numeric"
          autoComplete="off"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </label>
      {field('budgetEth', 'Budget (ETH, for the whole grant)')}
      {field('budgetUsd', 'Budget (USDS)')}
      {field('approvalAboveEth', 'Ask me above (ETH)')}
      {field('approvalAboveUsd', 'Ask me above (USDS)')}
      {field('allowedTargets', 'Allowed targets (empty: any)')}
      {field('days', 'Expires in (days)')}
      <div className="row">
        <button type="button" onClick={() => decide(false)}>
          Reject
        </button>
        <button type="button" className="primary" onClick={() => decide(true)}>
          Approve pairing
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </div>
  )
}

/** Where the chain bounds the pairing too (decision 0605), and where the wallet alone does. */
function OnChainKey({ pairing }: { pairing: PairingView }) {
  const session = pairing.session
  if (!session || session.status === 'installing') return <div className="muted small">On-chain key: installing…</div>
  if (session.status === 'none') return <div className="muted small">{session.reason}</div>
  return (
    <div className="muted small" data-testid="pairing-key">
      On-chain session key {session.sessionKey} on L1 · {session.status} · On the rollup (a plain account key) and for
      signatures the wallet alone enforces the grant.
    </div>
  )
}

export function PairingsScreen() {
  const { data: pairings, reload } = useAsync(() => background('ui:pairings', undefined))
  const [error, setError] = useState<string>()
  return (
    <section className="card">
      <h2>Paired agents</h2>
      {error && <p className="error">{error}</p>}
      {!pairings?.length && <p className="muted">No agent is paired.</p>}
      <ul className="list">
        {pairings?.map((p) => (
          <li key={p.id} className="row" data-testid="pairing">
            <div>
              <div>
                agent:{p.name} {p.revokedAt ? '· revoked' : p.connected ? '· connected' : '· not connected'}
              </div>
              <div className="muted small">
                paired {ago(p.createdAt)} · left {p.leftEth} ETH, {p.leftUsd} USDS · expires{' '}
                {new Date(p.grant.expiresAt).toLocaleDateString()}
              </div>
              <OnChainKey pairing={p} />
            </div>
            {(!p.revokedAt || p.session?.status === 'active') && (
              <button
                type="button"
                onClick={() =>
                  background('ui:pairRevoke', { id: p.id })
                    .catch((e: Error) => setError(e.message))
                    .then(reload)
                }
              >
                {p.revokedAt ? 'Revoke key on chain' : 'Revoke'}
              </button>
            )}
          </li>
        ))}
      </ul>
      <PairForm onDone={reload} />
    </section>
  )
}
