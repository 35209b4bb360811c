/**
 * rollup.seq.transfers_per_s (env chromium): the node in a Web Worker over IndexedDB in headless
 * Chromium; signed transfers posted to the Worker, executed, sealed with a state root per block and
 * committed to IndexedDB. Run: tsx packages/rollup-lite/src/bench/chromium.bench.ts
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { emit, log, round } from '@seed/testkit/bench'
import { launchChromium } from '@seed/testkit/chromium'
import { buildBrowserBundle } from '../../test/browser/build.ts'
import { serveDir } from '../../test/browser/serve.ts'
import { benchGenesis, makeSigners, signTransfers } from './fixtures.ts'
import { attachWorkerProfiler } from './worker-profile.ts'

const SENDERS = Number(process.env.BENCH_SENDERS ?? 100)
const PER_SENDER = Number(process.env.BENCH_PER_SENDER ?? 30)
/** A directory for CPU profiles of the Workers over the measured sends (node and recovery). */
const PROFILE_DIR = process.env.BENCH_WORKER_PROFILE_DIR

/** CPU time (user + system, ms) in a /proc stat line (fields after the command's closing paren). */
function statCpuMs(stat: string): { name: string; ppid: number; cpu: number } {
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
  return {
    name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    ppid: Number(fields[1]),
    cpu: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100,
  }
}

/**
 * CPU time (user + system, ms) of every process below this one (the browser's), in total and per
 * thread ("renderer DedicatedWorker 1234": process type, thread name, a Worker's thread id): a
 * figure the shared machine's load does not skew the way it skews wall time, and where it goes.
 * Linux only; 0 elsewhere.
 */
function browserCpu(): { total: number; threads: Map<string, number> } {
  const threads = new Map<string, number>()
  let entries: string[]
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e))
  } catch {
    return { total: 0, threads }
  }
  const stats = new Map<number, ReturnType<typeof statCpuMs>>()
  for (const pid of entries) {
    try {
      stats.set(Number(pid), statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8')))
    } catch {} // the process has exited meanwhile
  }
  const below = (pid: number): boolean => {
    for (let p = stats.get(pid)?.ppid; p !== undefined && p > 1; p = stats.get(p)?.ppid)
      if (p === process.pid) return true
    return false
  }
  let total = 0
  for (const [pid, s] of stats) {
    if (!below(pid)) continue
    total += s.cpu
    try {
      // Chromium's child processes name their type; the browser process and others go by name.
      const type =
        /--type=([a-z-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ??
        s.name.replace('chromium', 'browser')
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const thread = statCpuMs(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'))
        const key = `${type} ${thread.name}${thread.name.startsWith('DedicatedWorker') ? ` ${tid}` : ''}`
        threads.set(key, (threads.get(key) ?? 0) + thread.cpu)
      }
    } catch {} // the process has exited meanwhile
  }
  return { total, threads }
}

/** The threads that used ≥ 10 ms between two readings, most first ("790 ms renderer DedicatedWorker 1234"). */
function threadsUsed(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after]
    .map(([name, ms]) => [name, ms - (before.get(name) ?? 0)] as const)
    .filter(([, ms]) => ms >= 10)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${round(ms, 0)} ms ${name}`)
}

const dir = mkdtempSync(join(tmpdir(), 'rollup-chromium-bench-'))
await buildBrowserBundle(dir)
const server = await serveDir(dir)
const browser = await launchChromium()
try {
  const page = await browser.context.newPage()
  page.on('pageerror', (e) => log('page error:', e))
  await page.goto(server.url)
  await page.waitForFunction(() => (globalThis as any).rollupTest !== undefined)
  const profiler = PROFILE_DIR ? await attachWorkerProfiler(page) : undefined
  const signers = makeSigners(SENDERS)
  log(`signing ${SENDERS * (PER_SENDER + 2)} transfers...`)
  const warm = await signTransfers(signers, 2)
  const raws = await signTransfers(signers, PER_SENDER, 2)
  const genesis = JSON.stringify(benchGenesis(signers), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))
  const recoverWorkerUrl = process.env.BENCH_NO_POOL ? null : undefined
  await page.evaluate(([g, r]) => (globalThis as any).rollupTest.start(`bench-${Date.now()}`, g, 250, 2000, r), [
    genesis,
    recoverWorkerUrl,
  ] as const)
  await page.evaluate(([w]) => (globalThis as any).rollupTest.sendAll(w, true), [warm])
  await profiler?.start()
  const cpuBefore = browserCpu()
  const result = (await page.evaluate(([r]) => (globalThis as any).rollupTest.sendAll(r, true), [raws])) as {
    ms: number
    executedMs: number
  }
  const cpuAfter = browserCpu()
  const cpuUs = round(((cpuAfter.total - cpuBefore.total) * 1000) / raws.length, 0)
  // The node Worker starts before its recovery Worker: the lower thread id.
  log('browser CPU by thread:', threadsUsed(cpuBefore.threads, cpuAfter.threads).join(', '))
  if (profiler && PROFILE_DIR) log('worker profiles:', ...(await profiler.stop(PROFILE_DIR)))
  const head = await page.evaluate(() => (globalThis as any).rollupTest.request('eth_blockNumber'))
  log(
    `chromium: ${raws.length} txs executed in ${round(result.executedMs, 0)} ms, persisted in ${round(result.ms, 0)} ms, head ${head}, ${cpuUs} µs browser CPU per transfer`,
  )
  emit({
    bench: 'rollup.seq.transfers_per_s',
    value: round((raws.length / result.ms) * 1000, 0),
    unit: 'tx/s',
    env: 'chromium',
    n: raws.length,
    notes: `browser CPU per transfer ${cpuUs} µs (all browser processes)`,
  })
  await page.evaluate(() => (globalThis as any).rollupTest.stop())
} finally {
  await browser.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
