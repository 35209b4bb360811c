/** A run's structured output: status, each log entry with its time and level, the result or error. */
import type { RunRecord } from '../store.ts'

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2))
const time = (at: number) => new Date(at).toLocaleTimeString([], { hour12: false })

export function RunOutput({ run }: { run?: RunRecord }) {
  if (!run) return <p className="muted small">Run a script to see its output here.</p>
  return (
    <div className="run-output" data-testid="run-output" data-status={run.status} data-run-id={run.id}>
      <div className="run-status">
        <strong data-testid="run-status">{run.status}</strong>
        <span className="muted small">
          {' '}
          {run.scriptName} · {describeTrigger(run)}
          {run.cpuMs !== undefined ? ` · ${run.cpuMs.toFixed(1)} ms CPU` : ''}
        </span>
      </div>
      <ol className="log">
        {run.logs.map((entry, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: log entries are append-only
          <li key={i} className={`log-${entry.level}`} data-testid="log-entry">
            <span className="muted small">{time(entry.at)}</span> {entry.values.map(show).join(' ')}
          </li>
        ))}
      </ol>
      {run.droppedLogs ? <p className="muted small">… {run.droppedLogs} more lines not kept</p> : null}
      {run.error ? (
        <p className="error" data-testid="run-error">
          {run.error}
        </p>
      ) : null}
      {run.status === 'ok' && run.result !== undefined && run.result !== null ? (
        <pre data-testid="run-result">{show(run.result)}</pre>
      ) : null}
    </div>
  )
}

export function describeTrigger(run: RunRecord) {
  const t = run.trigger
  if (t.kind === 'manual') return 'run by hand'
  if (t.kind === 'schedule') return 'on schedule'
  return `on ${t.event.topic}`
}
