/**
 * The scripting console (side panel): saved scripts, the editor, Run / Stop with CPU and memory
 * limits, the running script's output, run history and the script's triggers. Runs happen in the
 * offscreen document's sandbox (decision 0603); their records come from IndexedDB.
 */
import { useCallback, useEffect, useState } from 'react'
import { send } from '../../core/messenger.ts'
import { type RunRecord, runs, type SavedScript, scripts, type TriggerRecord, triggers } from '../store.ts'
import { ScriptEditor } from './editor.tsx'
import { describeTrigger, RunOutput } from './output.tsx'
import { Triggers } from './triggers.tsx'
import { useRun } from './use-run.ts'

const STARTER = `// The capability API: wallet, rollup, x402, policy, activity, events, log, sleep (Ctrl-Space completes).
const { l1, rollup } = await wallet.balances()
log('L1', l1.eth, 'ETH ·', 'rollup', 'eth' in rollup ? rollup.eth : rollup.error, 'ETH')
`

export function ConsoleApp() {
  const [saved, setSaved] = useState<SavedScript[]>([])
  const [current, setCurrent] = useState<SavedScript>({
    id: crypto.randomUUID(),
    name: 'untitled',
    source: STARTER,
    updatedAt: 0,
  })
  const [history, setHistory] = useState<RunRecord[]>([])
  const [scriptTriggers, setScriptTriggers] = useState<TriggerRecord[]>([])
  const [runId, setRunId] = useState<string>()
  const [cpuMs, setCpuMs] = useState('2000')
  const [memoryMiB, setMemoryMiB] = useState('32')
  const [problem, setProblem] = useState<string>()
  const run = useRun(runId)

  const refresh = useCallback(async () => {
    setSaved(await scripts.all())
    setHistory(await runs.recent(30))
    setScriptTriggers((await triggers.all()).filter((t) => t.scriptId === current.id))
  }, [current.id])
  useEffect(() => {
    void refresh()
    const timer = setInterval(refresh, 2_000) // triggers run scripts while this panel is open too
    return () => clearInterval(timer)
  }, [refresh])
  useEffect(() => {
    if (run && run.status !== 'running') void refresh()
  }, [run, refresh])

  const save = async () => {
    const script = { ...current, updatedAt: Date.now() }
    await scripts.put(script)
    setCurrent(script)
    await refresh()
  }
  const start = async () => {
    setProblem(undefined)
    try {
      const { runId: started } = await send('ui:runScript', {
        runId: crypto.randomUUID(),
        scriptId: current.updatedAt ? current.id : undefined,
        scriptName: current.name,
        source: current.source,
        limits: { cpuMs: Number(cpuMs), memoryBytes: Number(memoryMiB) * 2 ** 20 },
      })
      setRunId(started)
    } catch (error) {
      setProblem((error as Error).message)
    }
  }
  const running = run?.status === 'running'

  return (
    <div className="console">
      <header className="topbar">
        <strong>Seed console</strong>
        <select
          aria-label="Saved scripts"
          data-testid="saved-scripts"
          value={current.updatedAt ? current.id : ''}
          onChange={(e) => {
            const picked = saved.find((s) => s.id === e.target.value)
            setCurrent(picked ?? { id: crypto.randomUUID(), name: 'untitled', source: STARTER, updatedAt: 0 })
          }}
        >
          <option value="">New script</option>
          {saved.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </header>
      <main className="stack">
        <div className="row">
          <input
            aria-label="Script name"
            data-testid="script-name"
            value={current.name}
            onChange={(e) => setCurrent({ ...current, name: e.target.value })}
          />
          <button type="button" onClick={save} data-testid="save-script">
            Save
          </button>
          {current.updatedAt ? (
            <button
              type="button"
              className="secondary"
              onClick={async () => {
                await scripts.remove(current.id)
                setCurrent({ id: crypto.randomUUID(), name: 'untitled', source: STARTER, updatedAt: 0 })
                await refresh()
              }}
            >
              Delete
            </button>
          ) : null}
        </div>
        <ScriptEditor
          value={current.source}
          onChange={(source) => setCurrent((c) => ({ ...c, source }))}
          onRun={start}
        />
        <div className="row">
          <button type="button" onClick={start} disabled={running} data-testid="run-script">
            Run
          </button>
          <button
            type="button"
            className="secondary"
            disabled={!running}
            data-testid="stop-script"
            onClick={() => runId && send('ui:stopScript', { runId })}
          >
            Stop
          </button>
          <label className="muted small">
            CPU ms{' '}
            <input className="narrow" value={cpuMs} onChange={(e) => setCpuMs(e.target.value)} data-testid="cpu-ms" />
          </label>
          <label className="muted small">
            MiB{' '}
            <input
              className="narrow"
              value={memoryMiB}
              onChange={(e) => setMemoryMiB(e.target.value)}
              data-testid="memory-mib"
            />
          </label>
        </div>
        {problem ? <p className="error">{problem}</p> : null}
        <section className="card">
          <h2>Output</h2>
          <RunOutput run={run} />
        </section>
        {current.updatedAt ? (
          <Triggers
            scriptId={current.id}
            list={scriptTriggers}
            runs={history}
            onChange={refresh}
            onShowRun={setRunId}
          />
        ) : (
          <p className="muted small">Save the script to give it triggers.</p>
        )}
        <section className="card">
          <h2>History</h2>
          <ul className="history" data-testid="run-history">
            {history.map((r) => (
              <li key={r.id} data-status={r.status}>
                <button type="button" className="link" onClick={() => setRunId(r.id)}>
                  {new Date(r.startedAt).toLocaleTimeString([], { hour12: false })} {r.scriptName} — {r.status} (
                  {describeTrigger(r)})
                </button>
              </li>
            ))}
          </ul>
        </section>
      </main>
    </div>
  )
}
