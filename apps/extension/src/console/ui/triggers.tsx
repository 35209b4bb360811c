/** A saved script's triggers: add (schedule, L1 block, base fee above X gwei, payment, batch), toggle, remove; last runs. */
import { useState } from 'react'
import { send } from '../../core/messenger.ts'
import { type RunRecord, type TriggerKind, type TriggerRecord, triggers } from '../store.ts'
import { describeTrigger } from './output.tsx'

const KINDS: { kind: TriggerKind; label: string }[] = [
  { kind: 'schedule', label: 'Every N minutes' },
  { kind: 'block', label: 'New L1 block' },
  { kind: 'baseFee', label: 'L1 base fee above (gwei)' },
  { kind: 'payment', label: 'Incoming payment' },
  { kind: 'batch', label: 'Batch posted' },
]

export const describe = (t: TriggerRecord) =>
  t.kind === 'schedule'
    ? `every ${t.everyMinutes} min`
    : t.kind === 'baseFee'
      ? `L1 base fee above ${t.aboveGwei} gwei`
      : (KINDS.find((k) => k.kind === t.kind)?.label ?? t.kind)

export function Triggers({
  scriptId,
  list,
  runs,
  onChange,
  onShowRun,
}: {
  scriptId: string
  list: TriggerRecord[]
  runs: RunRecord[]
  onChange: () => void
  onShowRun: (runId: string) => void
}) {
  const [kind, setKind] = useState<TriggerKind>('schedule')
  const [amount, setAmount] = useState('5')
  const changed = async () => {
    await send('ui:triggersChanged', undefined)
    onChange()
  }
  const add = async () => {
    await triggers.put({
      id: crypto.randomUUID(),
      scriptId,
      kind,
      enabled: true,
      createdAt: Date.now(),
      ...(kind === 'schedule' ? { everyMinutes: Math.max(0.5, Number(amount) || 60) } : {}),
      ...(kind === 'baseFee' ? { aboveGwei: String(Number(amount) || 0) } : {}),
    })
    await changed()
  }
  return (
    <section className="card" data-testid="triggers">
      <h2>Triggers</h2>
      <ul className="triggers">
        {list.map((t) => {
          const last = runs.filter((r) => r.trigger.triggerId === t.id).slice(0, 3)
          return (
            <li key={t.id} data-testid="trigger" data-kind={t.kind}>
              <label>
                <input
                  type="checkbox"
                  checked={t.enabled}
                  onChange={async (e) => {
                    await triggers.put({ ...t, enabled: e.target.checked })
                    await changed()
                  }}
                />{' '}
                {describe(t)}
              </label>{' '}
              <button
                type="button"
                className="link"
                onClick={async () => {
                  await triggers.remove(t.id)
                  await changed()
                }}
              >
                remove
              </button>
              <div className="muted small" data-testid="trigger-last-runs">
                {last.length
                  ? last.map((r) => (
                      <button key={r.id} type="button" className="link" onClick={() => onShowRun(r.id)}>
                        {new Date(r.startedAt).toLocaleTimeString([], { hour12: false })} {r.status} (
                        {describeTrigger(r)})
                      </button>
                    ))
                  : 'no runs yet'}
              </div>
            </li>
          )
        })}
      </ul>
      <div className="row">
        <select value={kind} onChange={(e) => setKind(e.target.value as TriggerKind)} data-testid="trigger-kind">
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        {kind === 'schedule' || kind === 'baseFee' ? (
          <input
            className="narrow"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            aria-label={kind === 'schedule' ? 'minutes' : 'gwei'}
            data-testid="trigger-amount"
          />
        ) : null}
        <button type="button" onClick={add} data-testid="add-trigger">
          Add trigger
        </button>
      </div>
    </section>
  )
}
