/**
 * The bridge between the smart account (L1) and the agent's rollup: deposit, withdraw, and each withdrawal's
 * timeline (initiated → output posted → proven → window → finalizable → finalized) with a live countdown of
 * its challenge window, and the step it is ready for. Every step is a send the approval window shows.
 */
import type { BridgeAsset, WithdrawalStage, WithdrawalView } from '@seed/agent/api'
import { type FormEvent, useEffect, useState } from 'react'
import type { ProviderRpcError } from '../../core/errors.ts'
import { background } from '../api.ts'
import { short } from '../components.tsx'
import { useAsync } from '../use-async.ts'

const STAGES: { stage: WithdrawalStage; label: string }[] = [
  { stage: 'initiated', label: 'Initiated on the rollup' },
  { stage: 'output-posted', label: 'Output posted to L1' },
  { stage: 'proven', label: 'Proven on L1' },
  { stage: 'finalizable', label: 'Challenge window passed' },
  { stage: 'finalized', label: 'Finalized' },
]
const BLOCKED: Partial<Record<WithdrawalStage, string>> = {
  challenged: 'Output challenged',
  'output-invalidated': 'Output rolled back',
}

/** Counts `seconds` (as L1 had it when read) down every second from when it was read. */
function useSecondsLeft(seconds?: number) {
  const [start, setStart] = useState({ seconds, at: Date.now() })
  const [now, setNow] = useState(() => Date.now())
  if (seconds !== start.seconds) setStart({ seconds, at: Date.now() })
  useEffect(() => {
    if (seconds === undefined) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [seconds])
  if (start.seconds === undefined) return undefined
  return Math.max(0, start.seconds - Math.floor((now - start.at) / 1000))
}

const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`

function Transfer({ kind, onDone }: { kind: 'deposit' | 'withdraw'; onDone: () => void }) {
  const [asset, setAsset] = useState<BridgeAsset>('eth')
  const [amount, setAmount] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; error?: boolean }>()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setMessage(undefined)
    const sent =
      kind === 'deposit'
        ? background('ui:bridgeDeposit', { asset, amount }).then((s) => `Deposited: L1 tx ${short(s.hash)}`)
        : background('ui:bridgeWithdraw', { asset, amount }).then((w) => `Withdrawal ${short(w.withdrawalHash)} sent`)
    sent
      .then(
        (text) => setMessage({ text }),
        (e: ProviderRpcError) => setMessage({ text: e.message, error: true }),
      )
      .finally(() => {
        setBusy(false)
        onDone()
      })
  }
  const label = kind === 'deposit' ? 'Deposit' : 'Withdraw'
  return (
    <form className="card stack" onSubmit={submit} aria-label={label}>
      <h2>{kind === 'deposit' ? 'Deposit to the rollup' : 'Withdraw to L1'}</h2>
      <div className="row">
        <select value={asset} onChange={(e) => setAsset(e.target.value as BridgeAsset)} aria-label={`${label} asset`}>
          <option value="eth">ETH</option>
          <option value="usd">USDS</option>
        </select>
        <input
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          placeholder="0.1"
          inputMode="decimal"
          aria-label={`${label} amount`}
        />
        <button type="submit" className="primary" disabled={busy || !amount}>
          {busy ? 'Waiting…' : label}
        </button>
      </div>
      {message && (
        <p className={message.error ? 'error small' : 'muted small'} data-testid={`${kind}-result`}>
          {message.text}
        </p>
      )}
    </form>
  )
}

function Timeline({ w }: { w: WithdrawalView }) {
  const left = useSecondsLeft(w.stage === 'proven' ? w.secondsLeft : undefined)
  const reached = new Map(w.timeline.map((t) => [t.stage, t.at]))
  const current = STAGES.findIndex((s) => s.stage === w.stage)
  return (
    <ol className="timeline">
      {STAGES.map(({ stage, label }, i) => {
        const done = current >= i || reached.has(stage)
        return (
          <li key={stage} className={done ? 'done' : 'todo'} data-testid={`stage-${stage}`} data-done={done}>
            {done ? '●' : '○'} {label}
            {stage === 'proven' && left !== undefined && (
              <span data-testid="countdown"> · window closes in {clock(left)}</span>
            )}
          </li>
        )
      })}
    </ol>
  )
}

function WithdrawalRow({ w, onChange }: { w: WithdrawalView; onChange: () => void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const step = (type: 'ui:bridgeProve' | 'ui:bridgeFinalize') => {
    setBusy(true)
    setError(undefined)
    background(type, { withdrawalHash: w.withdrawalHash })
      .catch((e: ProviderRpcError) => setError(e.message))
      .finally(() => {
        setBusy(false)
        onChange()
      })
  }
  const blocked = BLOCKED[w.stage]
  return (
    <li className="card stack withdrawal" data-testid="withdrawal" data-hash={w.withdrawalHash} data-stage={w.stage}>
      <div>
        <strong>
          {w.amount} {w.asset === 'eth' ? 'ETH' : 'USDS'}
        </strong>{' '}
        to {short(w.to)} {blocked && <span className="chip error">{blocked}</span>}
        <div className="muted small">
          {short(w.withdrawalHash)} · rollup block #{w.l2Block}
          {w.outputIndex !== undefined && ` · output #${w.outputIndex}`}
        </div>
      </div>
      <Timeline w={w} />
      {(w.proveTx || w.finalizeTx) && (
        <div className="muted small">
          {w.proveTx && <>proven in {short(w.proveTx)} </>}
          {w.finalizeTx && <>· finalized in {short(w.finalizeTx)}</>}
        </div>
      )}
      {w.problem && <p className="error small">{w.problem}</p>}
      {(w.stage === 'output-posted' || w.stage === 'output-invalidated') && (
        <button type="button" className="primary" disabled={busy} onClick={() => step('ui:bridgeProve')}>
          {busy ? 'Proving…' : 'Prove on L1'}
        </button>
      )}
      {w.stage === 'finalizable' && (
        <button type="button" className="primary" disabled={busy} onClick={() => step('ui:bridgeFinalize')}>
          {busy ? 'Finalizing…' : 'Finalize'}
        </button>
      )}
      {error && (
        <p className="error small" data-testid="step-error">
          {error}
        </p>
      )}
    </li>
  )
}

export function BridgeScreen() {
  const { data, error, reload } = useAsync(() => background('ui:bridge', undefined), '', 3000)
  return (
    <div className="stack">
      <section className="card">
        <h2>Bridge</h2>
        {error && <p className="error">{error}</p>}
        <dl className="facts">
          <dt>L1 smart account</dt>
          <dd data-testid="l1-balances">
            {data?.balances.l1 ? `${data.balances.l1.eth} ETH · ${data.balances.l1.usd} USDS` : '…'}
          </dd>
          <dt>Rollup account</dt>
          <dd data-testid="rollup-balances">
            {data?.balances.rollup ? `${data.balances.rollup.eth} ETH · ${data.balances.rollup.usd} USDS` : '…'}
          </dd>
        </dl>
      </section>
      <Transfer kind="deposit" onDone={reload} />
      <Transfer kind="withdraw" onDone={reload} />
      <section className="stack">
        <h2>Withdrawals</h2>
        {data && !data.withdrawals.length && <p className="muted small">None yet.</p>}
        <ul className="list" aria-label="Withdrawals">
          {data?.withdrawals.map((w) => (
            <WithdrawalRow key={w.withdrawalHash} w={w} onChange={reload} />
          ))}
        </ul>
      </section>
    </div>
  )
}
