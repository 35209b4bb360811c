/**
 * The script host, in the offscreen document (decision 0603): starts each run in its own sandbox
 * Worker (a warm spare has QuickJS loaded already), answers the script's capability calls through
 * `callCapability` (the background's dispatcher), records the run and its output log in IndexedDB
 * as it goes, and terminates the Worker when the run ends, is stopped, or goes over its memory.
 */
import { type RunRecord, runs } from '../console/store.ts'
import { epochNow, type FromSandbox, type ScriptRunRequest, type ToSandbox } from './protocol.ts'
import SandboxWorker from './sandbox.worker.ts?worker'
import { stripTypes } from './strip-types.ts'
import type { RunLimits } from './vm.ts'

export type { ScriptRunRequest }

export const DEFAULT_LIMITS: RunLimits = { cpuMs: 2_000, memoryBytes: 32 * 2 ** 20 }
const MAX_LIMITS: RunLimits = { cpuMs: 60_000, memoryBytes: 256 * 2 ** 20 }
/** However little CPU it uses, a run ends after this long (a script waiting forever). */
const MAX_RUN_MS = 10 * 60_000
const FLUSH_EVERY_MS = 100
/** Old runs are pruned every this many starts (not on the start path each time). */
const PRUNE_EVERY = 20
let startedCount = 0

export type CapabilityCall = (
  run: { runId: string; scriptId?: string },
  method: string,
  args: unknown[],
) => Promise<unknown>

const boundedLimits = (limits: Partial<RunLimits> = {}): RunLimits => ({
  cpuMs: Math.min(Math.max(1, limits.cpuMs ?? DEFAULT_LIMITS.cpuMs), MAX_LIMITS.cpuMs),
  memoryBytes: Math.min(Math.max(2 ** 20, limits.memoryBytes ?? DEFAULT_LIMITS.memoryBytes), MAX_LIMITS.memoryBytes),
})

function startWorker(): Promise<Worker> {
  const worker = new SandboxWorker()
  return new Promise((resolve, reject) => {
    worker.addEventListener('message', function ready(event: MessageEvent<FromSandbox>) {
      if (event.data.type !== 'ready') return
      worker.removeEventListener('message', ready)
      resolve(worker)
    })
    worker.addEventListener('error', (event) => reject(new Error(`The sandbox did not start: ${event.message}`)))
  })
}

export function createScriptHost(callCapability: CapabilityCall) {
  let spare = startWorker()
  const active = new Map<string, (reason: 'stop') => void>()
  /** Runs started here, by id: a re-sent start (the messenger retries) is the same run. */
  const started = new Map<string, Promise<{ runId: string; done: Promise<void> }>>()

  async function takeWorker() {
    const worker = await spare.catch(() => startWorker())
    spare = startWorker()
    return worker
  }

  /** Starts a run; resolves once it is recorded and its script is running, with `done` for its end. */
  function start(request: ScriptRunRequest) {
    const existing = started.get(request.runId)
    if (existing) return existing
    const run = startOnce(request)
    started.set(request.runId, run)
    void run.then(({ done }) => done.finally(() => started.delete(request.runId)))
    return run
  }

  async function startOnce(request: ScriptRunRequest): Promise<{ runId: string; done: Promise<void> }> {
    const limits = boundedLimits(request.limits)
    const record: RunRecord = {
      id: request.runId,
      scriptId: request.scriptId,
      scriptName: request.scriptName,
      trigger: request.trigger,
      startedAt: Date.now(),
      status: 'running',
      logs: [],
    }
    let source: string
    try {
      source = stripTypes(request.source)
    } catch (error) {
      await runs.put({
        ...record,
        status: 'error',
        endedAt: Date.now(),
        error: `SyntaxError: ${(error as Error).message}`,
      })
      return { runId: request.runId, done: Promise.resolve() }
    }
    // Not awaited: IndexedDB applies this first write before the run's later ones (same store, in order).
    void runs.put(record)
    if (++startedCount % PRUNE_EVERY === 0) void runs.prune()

    const worker = await takeWorker()
    let dirty = false
    let ended = false
    let markStarted = () => {}
    let markDone = () => {}
    const done = new Promise<void>((resolve) => {
      markDone = resolve
    })
    const flush = () => {
      if (!dirty) return
      dirty = false
      void runs.put({ ...record, logs: [...record.logs] })
    }
    const flusher = setInterval(flush, FLUSH_EVERY_MS)
    const end = (update: Partial<RunRecord>) => {
      if (ended) return
      ended = true
      worker.terminate()
      clearInterval(flusher)
      clearTimeout(wallClock)
      active.delete(request.runId)
      Object.assign(record, update, { endedAt: Date.now() })
      dirty = true
      flush()
      markStarted()
      markDone()
    }
    const wallClock = setTimeout(
      () => end({ status: 'killed', error: 'Stopped: the run took too long', killed: { reason: 'stop', overMs: 0 } }),
      MAX_RUN_MS,
    )
    active.set(request.runId, () =>
      end({ status: 'stopped', error: 'Stopped by the user', killed: { reason: 'stop', overMs: 0 } }),
    )

    const running = new Promise<void>((resolve) => {
      markStarted = resolve
      worker.onmessage = async (event: MessageEvent<FromSandbox>) => {
        const message = event.data
        switch (message.type) {
          case 'started':
            resolve()
            return
          case 'memoryExceeded':
            end({
              status: 'killed',
              error: `Stopped: the script went over its memory limit (${limits.memoryBytes / 2 ** 20} MiB)`,
              killed: { reason: 'memory', overMs: epochNow() - message.at },
            })
            return
          case 'log': // bounded in the Worker (run-channel.ts)
            record.logs.push(message.entry)
            dirty = true
            return
          case 'call': {
            let answer: ToSandbox
            try {
              const result = await callCapability(
                { runId: request.runId, scriptId: request.scriptId },
                message.method,
                message.args,
              )
              answer = { type: 'answer', callId: message.callId, result }
            } catch (error) {
              const { name, message: text, code } = error as Error & { code?: number }
              answer = { type: 'answer', callId: message.callId, error: { name, message: text, code } }
            }
            if (!ended) worker.postMessage(answer)
            return
          }
          case 'done': {
            const { outcome } = message
            if (message.droppedLogs) record.droppedLogs = message.droppedLogs
            if (outcome.status === 'killed')
              end({
                status: 'killed',
                error: outcome.error,
                killed: { reason: outcome.reason, overMs: outcome.overMs },
                cpuMs: outcome.cpuMs,
              })
            else if (outcome.status === 'error') end({ status: 'error', error: outcome.error, cpuMs: outcome.cpuMs })
            else end({ status: 'ok', result: outcome.result, cpuMs: outcome.cpuMs })
            return
          }
        }
      }
    })
    worker.onerror = (event) => end({ status: 'error', error: `The sandbox failed: ${event.message}` })
    worker.postMessage({
      type: 'run',
      source,
      limits,
      trigger: request.trigger,
    } satisfies ToSandbox)
    await running
    return { runId: request.runId, done }
  }

  return {
    start,
    /** Stops a run at once (its Worker is terminated); false when it is not running here. */
    stop(runId: string) {
      const stop = active.get(runId)
      stop?.('stop')
      return !!stop
    },
  }
}
