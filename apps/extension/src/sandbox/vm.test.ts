import variant from '@jitl/quickjs-singlefile-browser-release-sync'
import { newQuickJSWASMModuleFromVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { installMemoryCap, type MemoryCap } from './memory-cap.ts'
import { type LogEntry, runInVm, type VmHost } from './vm.ts'

const api = { wallet: ['balances', 'fails'], rollup: ['status'] } as const
const limits = { cpuMs: 300, memoryBytes: 32 * 2 ** 20 }
let module: QuickJSWASMModule
let memory: MemoryCap

beforeAll(async () => {
  memory = installMemoryCap()
  module = await newQuickJSWASMModuleFromVariant(variant)
})

function host(): VmHost & { logs: LogEntry[]; calls: string[] } {
  const logs: LogEntry[] = []
  const calls: string[] = []
  return {
    logs,
    calls,
    log: (entry) => logs.push(entry),
    async call(method, args) {
      calls.push(`${method}(${JSON.stringify(args)})`)
      await new Promise((r) => setTimeout(r, 5))
      if (method === 'wallet.fails')
        throw Object.assign(new Error('Blocked by the wallet policy: budget'), { code: 4100 })
      return { eth: '1.5', method }
    },
  }
}

describe('the script sandbox (QuickJS)', () => {
  it('awaits capability calls, logs, sleeps and returns a value', async () => {
    const h = host()
    const outcome = await runInVm(
      module,
      memory,
      {
        source: `const b = await wallet.balances({ chain: 'l1', n: 1n }); log('eth', b.eth); await sleep(10); return b`,
        limits,
        api,
      },
      h,
    )
    expect(outcome).toMatchObject({ status: 'ok', result: { eth: '1.5', method: 'wallet.balances' } })
    expect(h.calls).toEqual(['wallet.balances([{"chain":"l1","n":"1"}])'])
    expect(h.logs.map((l) => l.values)).toEqual([['eth', '1.5']])
  })

  it('turns a refused call into an error the script can catch, with its code', async () => {
    const outcome = await runInVm(
      module,
      memory,
      { source: `try { await wallet.fails() } catch (e) { return [e.code, e.message] }`, limits, api },
      host(),
    )
    expect(outcome).toMatchObject({ status: 'ok', result: [4100, 'Blocked by the wallet policy: budget'] })
  })

  it('offers nothing but the capability API', async () => {
    const outcome = await runInVm(
      module,
      memory,
      {
        source: `return [typeof fetch, typeof chrome, typeof setTimeout, typeof __seedCall, typeof XMLHttpRequest, typeof importScripts, typeof WebAssembly]`,
        limits,
        api,
      },
      host(),
    )
    expect(outcome).toMatchObject({ status: 'ok', result: Array(7).fill('undefined') })
  })

  it('stops an infinite loop at its CPU deadline, also after awaiting', async () => {
    for (const source of ['while (true) {}', 'await rollup.status(); for (;;) {}']) {
      const outcome = await runInVm(module, memory, { source, limits, api }, host())
      expect(outcome).toMatchObject({ status: 'killed', reason: 'cpu' })
    }
  })

  it('stops a memory bomb at its limit, even one that catches the error', async () => {
    for (const source of [
      `const keep = []; while (true) keep.push(new Array(10000).fill(keep.length))`,
      `const keep = []; while (true) { try { keep.push('x'.repeat(1 << 20) + keep.length) } catch {} }`,
    ]) {
      const outcome = await runInVm(module, memory, { source, limits: { ...limits, cpuMs: 20_000 }, api }, host())
      expect(outcome).toMatchObject({ status: 'killed', reason: 'memory' })
    }
  })

  it('ends a runaway recursion with an error instead of throwing out of the sandbox', async () => {
    // Emscripten builds skip QuickJS's own stack check: the overflow surfaces as the host's RangeError.
    const source = 'function f(n) { return f(n + 1) + 1 }\nreturn f(0)'
    const outcome = await runInVm(module, memory, { source, limits, api }, host())
    expect(outcome).toMatchObject({ status: 'error', error: expect.stringMatching(/stack|recursion/i) })
    // The module still runs the next script.
    expect(await runInVm(module, memory, { source: 'return 1 + 1', limits, api }, host())).toMatchObject({
      status: 'ok',
      result: 2,
    })
  })

  it('reports a syntax error and a thrown error', async () => {
    expect(await runInVm(module, memory, { source: 'let = ;', limits, api }, host())).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/SyntaxError/),
    })
    expect(await runInVm(module, memory, { source: 'throw new Error("nope")', limits, api }, host())).toMatchObject({
      status: 'error',
      error: 'Error: nope',
    })
  })
})
