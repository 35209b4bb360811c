/**
 * Runs one script in a fresh QuickJS runtime (decision 0603). The script sees exactly the globals
 * the prelude defines: the capability namespaces (each method a host call), `log`, `console.log`,
 * `sleep` and `trigger`; QuickJS itself has no `fetch`, no timers, no `chrome`, no DOM. Values cross
 * the boundary as JSON, so nothing but data gets in or out.
 *
 * Limits: `cpuMs` is time spent executing inside the VM (awaiting a host call or `sleep` costs
 * none): the interrupt handler ends the script once it is spent; `memoryBytes` bounds how much the
 * heap may grow (memory-cap.ts) and, through QuickJS's own limit, any single allocation.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core'
import type { MemoryCap } from './memory-cap.ts'

export type RunLimits = { cpuMs: number; memoryBytes: number }
/** QuickJS's own recursion limit, well inside the host's stack (else the overflow is the host's RangeError). */
const MAX_STACK_BYTES = 256 * 1024
export type LogLevel = 'info' | 'warn' | 'error'
export type LogEntry = { at: number; level: LogLevel; values: unknown[] }

export type VmHost = {
  /** A capability call (`wallet.balances`, …): resolves with JSON-able data or rejects. */
  call(method: string, args: unknown[]): Promise<unknown>
  log(entry: LogEntry): void
}

export type RunOutcome =
  | { status: 'ok'; result?: unknown; cpuMs: number }
  | { status: 'error'; error: string; cpuMs: number }
  /** `overMs`: from the limit being reached to the script having stopped. */
  | { status: 'killed'; reason: 'cpu' | 'memory'; error: string; overMs: number; cpuMs: number }

/** `{ wallet: ['balances', …], … }`: the capability API's namespaces and methods. */
export type ApiShape = Record<string, readonly string[]>

const PRELUDE = (api: ApiShape) => `(() => {
  const call = globalThis.__seedCall, say = globalThis.__seedLog, wait = globalThis.__seedSleep
  delete globalThis.__seedCall; delete globalThis.__seedLog; delete globalThis.__seedSleep
  const toJson = (v) => JSON.stringify(v === undefined ? null : v, (k, x) => typeof x === 'bigint' ? x.toString() : x)
  const api = ${JSON.stringify(api)}
  // events.subscribe is a long poll of events.poll (the capability API's transport-neutral form).
  const subscribe = (topics, listener) => {
    let active = true
    ;(async () => {
      let cursor
      while (active) {
        const answer = JSON.parse(await call('events.poll', toJson([{ topics, cursor, waitMs: 20000 }])))
        cursor = answer.cursor
        for (const event of answer.events) if (active) listener(event)
      }
    })()
    return () => { active = false }
  }
  for (const ns of Object.keys(api)) {
    const methods = {}
    for (const m of api[ns]) methods[m] = (...args) => call(ns + '.' + m, toJson(args)).then((json) => JSON.parse(json))
    if (ns === 'events') methods.subscribe = subscribe
    globalThis[ns] = Object.freeze(methods)
  }
  const logAt = (level) => (...values) => say(level, toJson(values.map((v) => v instanceof Error ? String(v) : v)))
  globalThis.log = logAt('info')
  globalThis.console = Object.freeze({ log: logAt('info'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') })
  globalThis.sleep = (ms) => wait(Number(ms) || 0)
})()`

const errorText = (dumped: unknown) =>
  typeof dumped === 'object' && dumped !== null && 'message' in dumped
    ? `${(dumped as { name?: string }).name ?? 'Error'}: ${(dumped as { message: string }).message}`
    : String(dumped)

/** The script body runs as an async function, so top-level `await` and `return` work. */
export const wrapScript = (source: string) => `(async () => {\n${source}\n})()`

export type PreparedVm = {
  /** Runs one script in this VM (once: the VM is disposed when it ends). */
  run(script: { source: string; limits: RunLimits; trigger?: unknown }, host: VmHost): Promise<RunOutcome>
}

/**
 * A fresh runtime with the prelude evaluated, ready for one script: a sandbox Worker prepares it
 * while it waits, so Run only evaluates the script.
 */
export function prepareVm(module: QuickJSWASMModule, memory: MemoryCap, api: ApiShape): PreparedVm {
  const runtime = module.newRuntime()
  runtime.setMaxStackSize(MAX_STACK_BYTES)
  const context = runtime.newContext()
  let limits: RunLimits = { cpuMs: Number.POSITIVE_INFINITY, memoryBytes: Number.POSITIVE_INFINITY }
  let host: VmHost | undefined
  let cpuUsed = 0
  let sliceDeadline = Number.POSITIVE_INFINITY
  let cpuOverAt: number | undefined
  let finished = false
  runtime.setInterruptHandler(() => {
    if (!host) return false // preparing: our own prelude, no script yet
    if (memory.exceededAt !== undefined) return true
    const now = performance.now()
    if (now < sliceDeadline) return false
    cpuOverAt ??= sliceDeadline
    return true
  })
  /** Runs VM code (evaluation or pending jobs) as one CPU slice, charged to the script. */
  const slice = <T>(work: () => T): T => {
    const start = performance.now()
    sliceDeadline = start + Math.max(0, limits.cpuMs - cpuUsed)
    try {
      return work()
    } finally {
      cpuUsed += performance.now() - start
      sliceDeadline = Number.POSITIVE_INFINITY
    }
  }
  const pump = () => {
    if (finished) return
    slice(() => runtime.executePendingJobs())
  }
  const stopped = () => {
    const now = performance.now()
    if (memory.exceededAt !== undefined)
      return {
        status: 'killed',
        reason: 'memory',
        error: `Stopped: the script went over its memory limit (${Math.round(limits.memoryBytes / 2 ** 20)} MiB)`,
        overMs: now - memory.exceededAt,
        cpuMs: cpuUsed,
      } as const
    if (cpuOverAt !== undefined)
      return {
        status: 'killed',
        reason: 'cpu',
        error: `Stopped: the script used its ${limits.cpuMs} ms of CPU time`,
        overMs: now - cpuOverAt,
        cpuMs: cpuUsed,
      } as const
    return undefined
  }
  installHostFunctions(
    context,
    {
      call: (method, args) => host!.call(method, args),
      log: (entry) => host!.log(entry),
    },
    pump,
  )
  context.unwrapResult(context.evalCode(PRELUDE(api), 'prelude.js')).dispose()

  async function run(
    script: { source: string; limits: RunLimits; trigger?: unknown },
    runHost: VmHost,
  ): Promise<RunOutcome> {
    limits = script.limits
    host = runHost
    memory.arm(limits.memoryBytes)
    runtime.setMemoryLimit(limits.memoryBytes)
    try {
      const trigger = `globalThis.trigger = Object.freeze(${JSON.stringify(script.trigger ?? null)})`
      context.unwrapResult(context.evalCode(trigger, 'trigger.js')).dispose()
      const evaluated = slice(() => context.evalCode(wrapScript(script.source), 'script.js'))
      if (evaluated.error) {
        const error = errorText(context.dump(evaluated.error))
        evaluated.error.dispose()
        return stopped() ?? { status: 'error', error, cpuMs: cpuUsed }
      }
      const promise = evaluated.value
      const settled = context.resolvePromise(promise)
      promise.dispose()
      pump()
      // Settles once the script's promise does; stopped() is checked after every slice.
      const outcome = await Promise.race([settled, killed(() => stopped())])
      if ('killed' in outcome) return outcome.killed
      if (outcome.error) {
        const error = errorText(context.dump(outcome.error))
        outcome.error.dispose()
        return stopped() ?? { status: 'error', error, cpuMs: cpuUsed }
      }
      const result = context.dump(outcome.value)
      outcome.value.dispose()
      return stopped() ?? { status: 'ok', result, cpuMs: cpuUsed }
    } finally {
      finished = true
      memory.disarm()
      disposeQuietly(context, runtime)
    }
  }
  return { run }
}

/** Prepares a VM and runs one script in it. */
export function runInVm(
  module: QuickJSWASMModule,
  memory: MemoryCap,
  script: { source: string; limits: RunLimits; api: ApiShape; trigger?: unknown },
  host: VmHost,
): Promise<RunOutcome> {
  return prepareVm(module, memory, script.api).run(script, host)
}

/** Polls `check` so a run killed while a host call was pending still ends (its promise never settles). */
function killed<T>(check: () => T | undefined): Promise<{ killed: T }> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const result = check()
      if (result === undefined) return
      clearInterval(timer)
      resolve({ killed: result })
    }, 5)
  })
}

function installHostFunctions(context: QuickJSContext, host: VmHost, pump: () => void) {
  const settleLater = (work: Promise<unknown>): QuickJSHandle => {
    const deferred = context.newPromise()
    work.then(
      (value) => {
        if (!context.alive) return
        const handle = context.newString(JSON.stringify(value ?? null))
        deferred.resolve(handle)
        handle.dispose()
        pump()
      },
      (error: unknown) => {
        if (!context.alive) return
        const handle = context.newError({
          name: (error as Error)?.name ?? 'Error',
          message: (error as Error)?.message ?? String(error),
        })
        const code = (error as { code?: unknown })?.code
        if (typeof code === 'number') {
          const codeHandle = context.newNumber(code)
          context.setProp(handle, 'code', codeHandle)
          codeHandle.dispose()
        }
        deferred.reject(handle)
        handle.dispose()
        pump()
      },
    )
    return deferred.handle
  }
  const call = context.newFunction('__seedCall', (methodHandle, argsHandle) => {
    const method = context.getString(methodHandle)
    const args = JSON.parse(context.getString(argsHandle)) as unknown[]
    return settleLater(host.call(method, args))
  })
  const say = context.newFunction('__seedLog', (levelHandle, jsonHandle) => {
    const level = context.getString(levelHandle) as LogLevel
    host.log({ at: Date.now(), level, values: JSON.parse(context.getString(jsonHandle)) as unknown[] })
  })
  const sleep = context.newFunction('__seedSleep', (msHandle) => {
    const ms = Math.min(Math.max(0, context.getNumber(msHandle)), 2 ** 31 - 1)
    return settleLater(new Promise((resolve) => setTimeout(resolve, ms)))
  })
  for (const [name, fn] of [
    ['__seedCall', call],
    ['__seedLog', say],
    ['__seedSleep', sleep],
  ] as const) {
    context.setProp(context.global, name, fn)
    fn.dispose()
  }
}

/** A runtime stopped mid-allocation may hold objects QuickJS cannot free cleanly: the Worker is recycled anyway. */
function disposeQuietly(context: QuickJSContext, runtime: QuickJSRuntime) {
  try {
    context.dispose()
    runtime.dispose()
  } catch {
    // leaked handles after an interrupt: the host replaces this Worker after a kill
  }
}
