import { useParams } from '@tanstack/react-router'
import { useState } from 'react'
import type { ApprovalView, PendingRequest } from '../../core/protocol.ts'
import { background } from '../api.ts'
import { short } from '../components.tsx'
import { useAsync } from '../use-async.ts'
import { BOUNTY_EPOCH_TITLES, BountyEpochDetails } from './bounty-epoch-approval.tsx'
import { CHAIN_APPROVAL_TITLES, ChainApprovalDetails } from './chain-approval.tsx'
import { GRANT_APPROVAL_TITLES, GrantApprovalDetails } from './grant-approval.tsx'

const TITLE: Record<string, string> = {
  eth_requestAccounts: 'Connect to this site?',
  wallet_requestPermissions: 'Connect to this site?',
  personal_sign: 'Sign this message?',
  eth_signTypedData_v4: 'Sign typed data?',
  eth_sendTransaction: 'Send this transaction?',
  wallet_sendCalls: 'Send these calls?',
  ...CHAIN_APPROVAL_TITLES,
  ...GRANT_APPROVAL_TITLES,
  ...BOUNTY_EPOCH_TITLES,
}

/** Long enough to read why a request failed; then the window goes, so no later click can land on it. */
const CLOSE_FAILED_AFTER_MS = 6_000

export function ApprovalScreen() {
  const { id } = useParams({ from: '/approve/$id' })
  const { data: view, error } = useAsync(() => background('ui:approval', { id }), id)
  const [busy, setBusy] = useState<'approve' | 'reject'>()
  const [outcome, setOutcome] = useState<string>()
  // Once decided, the window shows where the request ended and never takes another click.
  const [finalStatus, setFinalStatus] = useState<PendingRequest['status']>()

  /** Decides the request this window shows (`shown`), never whatever the route names by then. */
  async function decide(shown: string, approved: boolean) {
    setBusy(approved ? 'approve' : 'reject')
    try {
      const settled = await background('ui:decide', { id: shown, approved })
      // The user's own outcome closes at once; a failure stays up long enough to be read.
      if (settled.status === 'done' || settled.status === 'rejected') return window.close()
      setFinalStatus(settled.status)
      if (settled.error) setOutcome(`Failed: ${settled.error.message}`)
    } catch (e) {
      setOutcome((e as Error).message)
      // The decision may not have reached the background: a request still pending can be decided again.
      const now = await background('ui:approval', { id: shown }).catch(() => null)
      if (now?.status === 'pending') return setBusy(undefined)
      setFinalStatus(now?.status ?? 'failed')
    }
    setTimeout(() => window.close(), CLOSE_FAILED_AFTER_MS)
  }

  if (error) return <p className="error">{error}</p>
  if (view === undefined) return <p className="muted">Loading…</p>
  if (view === null) return <p className="muted">This request is no longer pending.</p>
  const status = finalStatus ?? view.status
  const decidable = view.id === id && status === 'pending' && !busy
  return (
    <div className="stack approval">
      <section className="card">
        <p className="muted small">{view.origin}</p>
        <h1>{TITLE[view.method] ?? view.method}</h1>
        <p className="muted small">
          {view.method} · chain {view.chainId} · as <code>{short(view.account)}</code>
        </p>
      </section>
      {status !== 'pending' && (
        <p className={`status status-${status}`} role="status">
          This request {status === 'failed' ? 'failed' : `is ${status}`}.
        </p>
      )}
      <Details view={view} />
      {outcome && <p className="error">{outcome}</p>}
      <div className="actions">
        <button type="button" name="reject" disabled={!decidable} onClick={() => decide(view.id, false)}>
          {busy === 'reject' && !finalStatus ? 'Rejecting…' : 'Reject'}
        </button>
        <button
          type="button"
          name="approve"
          className="primary"
          disabled={!decidable || view.verdict?.decision === 'deny'}
          onClick={() => decide(view.id, true)}
        >
          {busy === 'approve' && !finalStatus ? 'Working…' : 'Approve'}
        </button>
      </div>
    </div>
  )
}

function Details({ view }: { view: ApprovalView }) {
  if (CHAIN_APPROVAL_TITLES[view.method]) return <ChainApprovalDetails view={view} />
  if (GRANT_APPROVAL_TITLES[view.method]) return <GrantApprovalDetails view={view} />
  if (BOUNTY_EPOCH_TITLES[view.method]) return <BountyEpochDetails view={view} />
  if (view.method === 'eth_requestAccounts' || view.method === 'wallet_requestPermissions') {
    return (
      <section className="card">
        <p>
          The site will see your account address and can ask you to sign and send. It cannot move funds without you.
        </p>
      </section>
    )
  }
  return (
    <>
      {view.typedData && <TypedData summary={view.typedData} />}
      {view.message !== undefined && (
        <section className="card">
          <h2>Message</h2>
          <pre className="message">{view.message}</pre>
        </section>
      )}
      {view.calls?.map((call, i) => (
        <section className="card" key={`${call.to}-${call.data}-${call.value}`}>
          <h2>
            {view.calls!.length > 1 ? `Call ${i + 1}: ` : ''}
            {call.functionName ? `${call.contract} · ${call.functionName}` : 'Call'}
          </h2>
          <dl className="facts">
            <dt>To</dt>
            <dd>
              <code>{short(call.to)}</code>
            </dd>
            <dt>Value</dt>
            <dd>{call.value} ETH</dd>
            {call.args?.map((arg) => (
              <Arg key={arg.name} name={arg.name} value={arg.value} />
            ))}
            {!call.functionName && call.data !== '0x' && (
              <>
                <dt>Data</dt>
                <dd>
                  <code>{short(call.data)}</code>
                </dd>
              </>
            )}
          </dl>
        </section>
      ))}
      {view.maxFeeEth !== undefined && (
        <section className="card">
          <h2>Network fee</h2>
          <p>
            At most <strong>{view.maxFeeEth} ETH</strong> (every gas limit at the max fee per gas, paymaster included).
            Counted against the 24 h ETH budget until the real fee is known.
          </p>
        </section>
      )}
      {view.askedBecause && (
        <section className="card" data-testid="asked-because">
          <h2>Why you are asked</h2>
          <p>
            {view.askedBecause.source === 'pairing'
              ? `Above the approval threshold of ${view.origin}'s pairing.`
              : view.askedBecause.source === 'policy'
                ? `Within ${view.origin}'s grant, but above the wallet's own approval threshold.`
                : `${view.origin} has no grant of its own.`}
          </p>
          <ul className="list small">
            {view.askedBecause.reasons.map((r) => (
              <li key={r.code + r.message}>{r.message}</li>
            ))}
          </ul>
        </section>
      )}
      {view.verdict && (
        <section className="card">
          <h2>Wallet policy</h2>
          <span className={`badge verdict-${view.verdict.decision}`}>
            {view.verdict.decision === 'allow'
              ? 'Within policy'
              : view.verdict.decision === 'deny'
                ? 'Blocked by policy'
                : 'Above the approval threshold'}
          </span>
          <ul className="list small">
            {view.verdict.reasons.map((r) => (
              <li key={r.code + r.message}>{r.message}</li>
            ))}
          </ul>
        </section>
      )}
      {(view.assetChanges || view.simulationError) && (
        <section className="card">
          <h2>Simulated balance changes</h2>
          {view.simulationError && <p className="muted small">Simulation failed: {view.simulationError}</p>}
          {view.assetChanges?.length === 0 && <p className="muted">No balance changes.</p>}
          <ul className="list">
            {view.assetChanges?.map((change) => (
              <li key={change.token} className="row">
                <span>{change.symbol}</span>
                <strong className={change.diff.startsWith('-') ? 'neg' : 'pos'}>{change.diff}</strong>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  )
}

function TypedData({ summary }: { summary: NonNullable<ApprovalView['typedData']> }) {
  const { domain } = summary
  return (
    <section className="card">
      <h2>
        {summary.primaryType}
        {summary.contract ? ` · ${summary.contract}` : ''}
      </h2>
      {summary.spend && <p className="spend">{summary.spend}</p>}
      <dl className="facts">
        {domain.name !== undefined && <Arg name="domain" value={`${domain.name} v${domain.version ?? '—'}`} />}
        {domain.chainId !== undefined && <Arg name="chain" value={String(domain.chainId)} />}
        {domain.verifyingContract && <Arg name="contract" value={domain.verifyingContract} />}
        {summary.fields.map((field) => (
          <Arg key={field.name} name={field.name} value={field.value} />
        ))}
      </dl>
    </section>
  )
}

function Arg({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>
        <code>{value.length > 20 ? short(value) : value}</code>
      </dd>
    </>
  )
}
