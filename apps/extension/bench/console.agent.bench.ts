/**
 * Console figures (headless Chromium + the built extension + a fresh devnet; `pnpm bench agent`):
 *   console.script_start_ms  the console's Run (ui:runScript from the side panel) → the script's
 *                            first statement runs in its sandbox Worker (its first log entry), p50
 *   console.kill_ms          a limit reached → the script stopped: an infinite loop's CPU deadline
 *                            (QuickJS interrupt) and a memory bomb's refused heap growth (Worker
 *                            terminated); value = the worst sample
 * Run: `tsx apps/extension/bench/console.agent.bench.ts` (logs on stderr, JSON lines on stdout).
 */
import { startStack } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import type { Page } from 'playwright-core'
import { openConsole, runRecords } from '../e2e/console-harness.ts'
import { buildForTest, createWallet, launchWithExtension } from '../e2e/harness.ts'
import type { RunRecord } from '../src/console/store.ts'

const START_SAMPLES = 30
const CPU_KILLS = 10
const MEMORY_KILLS = 5

/** Starts a run from the side panel page like its Run button; resolves with the send time (epoch ms). */
async function run(panel: Page, source: string, limits: { cpuMs: number; memoryBytes: number }) {
  return panel.evaluate(
    async ([source, limits]) => {
      const runId = crypto.randomUUID()
      const sentAt = Date.now()
      const reply = await chrome.runtime.sendMessage({
        seed: 1,
        to: 'background',
        type: 'ui:runScript',
        payload: { runId, scriptName: 'bench', source, limits },
      })
      if (reply?.error) throw new Error(reply.error.message)
      return { runId, sentAt }
    },
    [source, limits] as const,
  )
}

async function ended(browser: Parameters<typeof runRecords>[0], runId: string): Promise<RunRecord> {
  for (;;) {
    const record = (await runRecords(browser)).find((r) => r.id === runId)
    if (record && record.status !== 'running') return record
    await new Promise((r) => setTimeout(r, 50))
  }
}

const stack = await startStack({ manifestPath: false })
try {
  const extensionPath = await buildForTest(stack.manifest)
  const browser = await launchWithExtension(extensionPath)
  try {
    await createWallet(browser, 'bench password')
    const panel = await openConsole(browser)
    const limits = { cpuMs: 2_000, memoryBytes: 32 * 2 ** 20 }

    const starts: number[] = []
    // Where a start's milliseconds go (wall clocks of one machine, ms): the panel's message to the offscreen
    // host that records the run, then the host to the script's first statement in its Worker.
    const toHost: number[] = []
    const hostToFirst: number[] = []
    for (let i = 0; i < START_SAMPLES + 3; i++) {
      const { runId, sentAt } = await run(panel, `log('started')`, limits)
      const record = await ended(browser, runId)
      if (record.status !== 'ok') throw new Error(`run ${runId}: ${record.status} ${record.error}`)
      if (i >= 3) {
        starts.push(record.logs[0]!.at - sentAt)
        toHost.push(record.startedAt - sentAt)
        hostToFirst.push(record.logs[0]!.at - record.startedAt)
      }
      await new Promise((r) => setTimeout(r, 250)) // a person's pace: the next warm spare Worker has loaded QuickJS
    }
    const start = stats(starts)
    emit({
      bench: 'console.script_start_ms',
      value: round(start.p50),
      unit: 'ms',
      env: 'chromium',
      ...start,
      notes: `side panel Run → background → offscreen host → warm sandbox Worker → first statement (ms clock); p50 per stage, ms: panel → background → host records the run ${round(stats(toHost).p50, 1)}; host → warm Worker → first statement ${round(stats(hostToFirst).p50, 1)}`,
    })

    const kills: { reason: string; ms: number }[] = []
    for (let i = 0; i < CPU_KILLS; i++) {
      const { runId } = await run(panel, 'while (true) {}', { ...limits, cpuMs: 200 })
      const record = await ended(browser, runId)
      if (record.killed?.reason !== 'cpu') throw new Error(`loop ${runId}: ${record.status} ${record.error}`)
      kills.push({ reason: 'cpu', ms: record.killed.overMs })
      await new Promise((r) => setTimeout(r, 100))
    }
    for (let i = 0; i < MEMORY_KILLS; i++) {
      const bomb = `const keep = []; while (true) { try { keep.push('x'.repeat(1 << 20) + keep.length) } catch {} }`
      const { runId } = await run(panel, bomb, { cpuMs: 30_000, memoryBytes: 64 * 2 ** 20 })
      const record = await ended(browser, runId)
      if (record.killed?.reason !== 'memory') throw new Error(`bomb ${runId}: ${record.status} ${record.error}`)
      kills.push({ reason: 'memory', ms: record.killed.overMs })
      await new Promise((r) => setTimeout(r, 100))
    }
    const all = stats(kills.map((k) => k.ms))
    const worst = (reason: string) => round(Math.max(...kills.filter((k) => k.reason === reason).map((k) => k.ms)), 3)
    emit({
      bench: 'console.kill_ms',
      value: round(all.max, 3),
      unit: 'ms',
      env: 'chromium',
      ...all,
      notes: `worst of ${CPU_KILLS} infinite loops (CPU deadline → stopped: ${worst('cpu')} ms) and ${MEMORY_KILLS} memory bombs (heap growth refused → Worker terminated: ${worst('memory')} ms)`,
    })
  } finally {
    await browser.close()
  }
} catch (error) {
  log(error)
  process.exitCode = 1
} finally {
  await stack.stop()
}
