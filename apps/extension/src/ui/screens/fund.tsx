/**
 * "Fund your agent" (decision 0432): shown after onboarding and from the home screen. Both addresses
 * to copy or scan, their balances (polled every 2 s while the popup is open), what each next step
 * needs at the current gas price, and the network's faucet when it has one.
 */
import { Link } from '@tanstack/react-router'
import { useState } from 'react'
import type { FundingStepId, FundingView } from '../../core/protocol.ts'
import { background } from '../api.ts'
import { Address } from '../components.tsx'
import { useAsync } from '../use-async.ts'
import { AddressQr } from './fund-qr.tsx'

const BALANCE_POLL_MS = 2000

const STEP_TEXT: Record<FundingStepId, { title: string; what: string }> = {
  firstUserOp: {
    title: 'First user operation',
    what: 'deploys the smart account with its first action; it pays its own gas up front',
  },
  startBatching: {
    title: 'Start batching',
    what: "creates the agent's L1 inbox and gives its batcher 0.05 ETH for blob posts, plus the operation's gas",
  },
}

const eth = (value?: string) => (value === undefined ? '…' : Number(value).toFixed(value === '0' ? 0 : 6))

function Faucet({ onFunded }: { onFunded: () => void }) {
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; text: string }>()
  const drip = () => {
    setBusy(true)
    setResult(undefined)
    background('ui:faucet', undefined)
      .then(
        (d) => {
          setResult({ ok: true, text: `Received ${d.amountEth} ETH${d.amountUsd ? ` and ${d.amountUsd} USDS` : ''}.` })
          onFunded()
        },
        (e: Error) => setResult({ ok: false, text: e.message }),
      )
      .finally(() => setBusy(false))
  }
  return (
    <div className="stack">
      <button type="button" className="primary" disabled={busy} onClick={drip}>
        {busy ? 'Asking the faucet…' : 'Get devnet ETH'}
      </button>
      {result && <p className={`small ${result.ok ? 'muted' : 'error'}`}>{result.text}</p>}
    </div>
  )
}

function Steps({ view }: { view: FundingView }) {
  return (
    <section className="card stack">
      <h2>Next steps</h2>
      <ul className="list">
        {view.steps.map((step) => (
          <li key={step.id} className="row" data-step={step.id}>
            <div>
              <strong>{STEP_TEXT[step.id].title}</strong>
              <div className="muted small">{STEP_TEXT[step.id].what}</div>
            </div>
            <span className={`badge ${step.done || step.ready ? 'success' : 'pending'}`}>
              {step.done ? 'done' : `${step.ready ? 'ready' : 'needs'} ≥ ${eth(step.needEth)} ETH`}
            </span>
          </li>
        ))}
      </ul>
      {view.maxFeePerGasGwei && (
        <p className="muted small">
          At the bundler's current fee of {Number(view.maxFeePerGasGwei).toFixed(3)} gwei per gas.
        </p>
      )}
      {view.steps.some((s) => s.id === 'startBatching' && s.ready && !s.done) && (
        <Link to="/rollup" className="button">
          Start batching →
        </Link>
      )}
    </section>
  )
}

/**
 * Deposits from L1 to the agent's rollup come with the bridge (issue 15): its deposit form goes
 * here. Until then the rollup account is funded only on the rollup itself.
 */
function RollupDeposit() {
  return (
    <p className="muted small">
      Deposits from L1 arrive here once the rollup bridge exists; until then only transfers on the rollup fund this
      account.
    </p>
  )
}

export function FundScreen() {
  const { data: view, error, reload } = useAsync(() => background('ui:funding', undefined), '', BALANCE_POLL_MS)
  if (error) return <p className="error">{error}</p>
  if (view === undefined) return <p className="muted">Loading…</p>
  if (view === null) return null
  return (
    <div className="stack">
      <section className="card stack">
        <h1>Fund your agent</h1>
        <p className="muted small">
          Your agent pays its own gas from its smart account on L1. Send it ETH (scan or copy the address)
          {view.faucet ? ', or take some from the devnet faucet' : ''}. Balances update every 2 s while this window is
          open.
        </p>
      </section>
      <section className="card stack">
        <h2>Smart account · L1 devnet</h2>
        <Address value={view.smartAccount} />
        <AddressQr address={view.smartAccount} chainId={view.l1ChainId} />
        <p>
          <strong data-balance="l1">{eth(view.l1Eth)}</strong> ETH{' '}
          <span className="muted small">chain {view.l1ChainId}</span>
        </p>
        {view.faucet && <Faucet onFunded={reload} />}
      </section>
      <Steps view={view} />
      <section className="card stack">
        <h2>Rollup account · L2</h2>
        <Address value={view.rollupAccount} />
        <AddressQr address={view.rollupAccount} chainId={view.rollupChainId} />
        <p>
          <strong data-balance="l2">{view.l2Eth === undefined ? '—' : eth(view.l2Eth)}</strong> ETH{' '}
          <span className="muted small">chain {view.rollupChainId}</span>
        </p>
        <RollupDeposit />
      </section>
      {view.error && <p className="muted small">{view.error}</p>}
    </div>
  )
}
