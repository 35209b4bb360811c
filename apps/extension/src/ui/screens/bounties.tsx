/**
 * The Agents screen's bounties (issue 17, decision 0802): post one for this wallet's chain, see each of the
 * wallet's bounties with its operators (uptime from the probe history, what each was paid, the last probe, an
 * epoch waiting for or refused by the person), close and withdraw it, and the bounties open on the escrow.
 */
import { type FormEvent, useState } from 'react'
import type { BountySlotView, BountyView } from '../../core/protocol.ts'
import { background } from '../api.ts'
import { short } from '../components.tsx'
import { useAsync } from '../use-async.ts'

const KINDS = ['replica', 'verify', 'pin'] as const
/** What the price pays for (decision 0802): a replica's epoch, a verifier's window (one per epoch), a pinned batch. */
const PRICED_PER: Record<(typeof KINDS)[number], string> = { replica: 'epoch', verify: 'window', pin: 'batch' }

function PostBounty({ onDone }: { onDone: () => void }) {
  const [kind, setKind] = useState<(typeof KINDS)[number]>('replica')
  const [pricePerEpoch, setPrice] = useState('0.01')
  const [epochSeconds, setEpoch] = useState('3600')
  const [maxOperators, setOperators] = useState('1')
  const [funds, setFunds] = useState('1')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; error?: boolean }>()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setMessage(undefined)
    background('ui:postBounty', {
      kind,
      pricePerEpoch,
      epochSeconds: Number(epochSeconds),
      maxOperators: Number(maxOperators),
      funds,
    })
      .then(
        (posted) => setMessage({ text: `Posted bounty #${posted.bountyId} (L1 tx ${short(posted.tx)})` }),
        (e: Error) => setMessage({ text: e.message, error: true }),
      )
      .finally(() => {
        setBusy(false)
        onDone()
      })
  }
  return (
    <form className="card stack" onSubmit={submit} aria-label="Post a bounty">
      <h2>Post a bounty</h2>
      <label>
        Work
        <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} aria-label="Bounty kind">
          <option value="replica">serve a replica of my chain</option>
          <option value="verify">verify my outputs</option>
          <option value="pin">pin my batches</option>
        </select>
      </label>
      <label>
        Price per {PRICED_PER[kind]} (USDS)
        <input value={pricePerEpoch} onChange={(e) => setPrice(e.target.value)} aria-label="Price per epoch" />
      </label>
      <label>
        Epoch (seconds)
        <input value={epochSeconds} onChange={(e) => setEpoch(e.target.value)} aria-label="Epoch seconds" />
      </label>
      <label>
        Operators
        <input value={maxOperators} onChange={(e) => setOperators(e.target.value)} aria-label="Operators" />
      </label>
      <label>
        Funds (USDS, split between the operators)
        <input value={funds} onChange={(e) => setFunds(e.target.value)} aria-label="Bounty funds" />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Post
      </button>
      {message && (
        <p className={message.error ? 'error' : 'muted'} data-testid="bounty-post-result">
          {message.text}
        </p>
      )}
    </form>
  )
}

/** What one probe checks, by kind: a replica's uptime, a verifier's windows, a pinner's sampled batches. */
const PROBED: Record<string, string> = { replica: 'uptime', verify: 'windows verified', pin: 'batches served' }

function SlotRow({ slot, kind }: { slot: BountySlotView; kind: string }) {
  const share = slot.probes ? Math.round((100 * slot.passed) / slot.probes) : undefined
  const last = slot.lastProbe
  const pending = slot.pendingProbe
  return (
    <li className="row" data-testid="bounty-slot" data-agent-id={slot.agentId}>
      <div>
        <div>
          agent #{slot.agentId} · operator {short(slot.operator)} · paid{' '}
          <span data-testid="bounty-slot-paid">{slot.paid}</span> USDS
        </div>
        <div className="muted small">
          {PROBED[kind] ?? 'probes passed'} {share === undefined ? '—' : `${share}%`} ({slot.passed}/{slot.probes}{' '}
          probes) · last probe {last ? (last.passed ? 'passed' : `missed: ${last.miss}`) : 'none yet'}
          {pending && ` · ${pending.why}`}
        </div>
        {last && !last.passed && last.details && <div className="muted small">{last.details}</div>}
        {pending?.details && <div className="muted small">{pending.details}</div>}
        {slot.rpcUrl && <div className="muted small">replica {slot.rpcUrl}</div>}
        {slot.approval && (
          <div
            className={slot.approval === 'refused' ? 'error small' : 'muted small'}
            data-testid="bounty-slot-approval"
          >
            {APPROVAL_TEXT[slot.approval]}
          </div>
        )}
        {slot.problem && slot.approval !== 'refused' && <div className="error small">{slot.problem}</div>}
      </div>
    </li>
  )
}

const APPROVAL_TEXT = {
  waiting: 'An epoch above your approval threshold is waiting for you in its approval window.',
  approved: 'Approved by you: paid at the next round.',
  refused: 'Refused by you: that epoch is not paid (a later epoch asks again).',
} as const

/** open → closing (withdraw from T) → closed (refunded); the buttons only on the wallet's own bounties. */
function CloseBounty({ bounty, onDone }: { bounty: BountyView; onDone: () => void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const act = (message: 'ui:closeBounty' | 'ui:withdrawBounty') => {
    setBusy(true)
    setError(undefined)
    background(message, { bountyId: bounty.bountyId })
      .catch((e: Error) => setError(e.message))
      .finally(() => {
        setBusy(false)
        onDone()
      })
  }
  const state = bounty.refunded !== undefined ? 'closed' : bounty.closing ? 'closing' : 'open'
  const withdrawable = bounty.withdrawableAt !== undefined && Date.now() >= bounty.withdrawableAt
  return (
    <div className="row small" data-testid="bounty-close" data-state={state}>
      {state === 'open' && (
        <button type="button" name="close-bounty" disabled={busy} onClick={() => act('ui:closeBounty')}>
          Close
        </button>
      )}
      {state === 'closing' && (
        <>
          <span data-testid="bounty-withdraw-at">
            closing · withdraw{' '}
            {withdrawable ? 'available now' : `at ${new Date(bounty.withdrawableAt!).toLocaleString()}`}
          </span>
          <button
            type="button"
            name="withdraw-bounty"
            disabled={busy || !withdrawable}
            onClick={() => act('ui:withdrawBounty')}
          >
            Withdraw
          </button>
        </>
      )}
      {state === 'closed' && <span data-testid="bounty-refunded">closed · refunded {bounty.refunded} USDS</span>}
      {error && <span className="error">{error}</span>}
    </div>
  )
}

/** What the price buys, by kind (decision 0802): an epoch of a replica, a verifier's window, one pinned batch. */
function priceUnit(bounty: BountyView) {
  if (bounty.kind === 'pin') return 'batch pinned'
  if (bounty.kind === 'verify') return `window of batches (one per ${bounty.epochSeconds} s)`
  return `${bounty.epochSeconds} s`
}

function BountyRow({ bounty, onChange }: { bounty: BountyView; onChange?: () => void }) {
  return (
    <li className="stack" data-testid="bounty" data-bounty-id={bounty.bountyId}>
      <div>
        #{bounty.bountyId} {bounty.kind} · {bounty.pricePerEpoch} USDS per {priceUnit(bounty)} · funds left{' '}
        {bounty.fundsLeft} USDS · slots {bounty.operators}/{bounty.maxOperators}
        {bounty.closing && <span className="chip">closing</span>}
      </div>
      {onChange && <CloseBounty bounty={bounty} onDone={onChange} />}
      {bounty.slots && (
        <ul className="list" aria-label={`Operators of bounty ${bounty.bountyId}`}>
          {bounty.slots.map((slot) => (
            <SlotRow key={slot.agentId} slot={slot} kind={bounty.kind} />
          ))}
          {!bounty.slots.length && <li className="muted small">No operator joined yet.</li>}
        </ul>
      )}
    </li>
  )
}

export function Bounties() {
  const { data, error, reload } = useAsync(() => background('ui:bounties', undefined), '', 3000)
  return (
    <>
      <PostBounty onDone={reload} />
      <section className="card stack">
        <h2>My bounties</h2>
        {error && <p className="error">{error}</p>}
        {data && !data.mine.length && <p className="muted small">No bounty posted from this wallet.</p>}
        <ul className="list" aria-label="My bounties">
          {data?.mine.map((b) => (
            <BountyRow key={b.bountyId} bounty={b} onChange={reload} />
          ))}
        </ul>
      </section>
      <section className="card stack">
        <h2>Open bounties</h2>
        {data && !data.open.length && <p className="muted small">No other open bounty on the escrow.</p>}
        <ul className="list" aria-label="Open bounties">
          {data?.open.map((b) => (
            <BountyRow key={b.bountyId} bounty={b} />
          ))}
        </ul>
      </section>
    </>
  )
}
