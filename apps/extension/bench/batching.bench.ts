/**
 * Batching figures of the extension's embedded rollup (headless Chromium + the built extension + a
 * fresh devnet):
 *   ext.batch_setup_ms     "Start batching": user op creating the agent inbox + funding the batcher + Worker setup
 *   ext.batch_latency_ms   L2 receipt → the inbox on L1 accepts a batch covering it, p50 (the Worker's
 *                          policy posts a quiet chain at the latest 10 s after its first block)
 * Run: `tsx apps/extension/bench/batching.bench.ts` (logs on stderr, JSON lines on stdout).
 */
import { startStack } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import { buildForTest, launchWithExtension } from '../e2e/harness.ts'
import { startBatchingWallet } from './batching-session.ts'

const LATENCY_SAMPLES = 4

const stack = await startStack({ manifestPath: false })
try {
  const browser = await launchWithExtension(await buildForTest(stack.manifest, { devRollupAccounts: true }))
  try {
    const { setupMs, timeToBatch } = await startBatchingWallet(browser, stack.manifest)
    emit({ bench: 'ext.batch_setup_ms', value: round(setupMs), unit: 'ms', env: 'chromium' })
    const samples: number[] = []
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      samples.push(await timeToBatch('0x00000000000000000000000000000000000be4c1'))
      log(`batch latency sample ${i}: ${round(samples.at(-1)!)} ms`)
    }
    const s = stats(samples)
    emit({
      bench: 'ext.batch_latency_ms',
      value: round(s.p50),
      unit: 'ms',
      env: 'chromium',
      ...s,
      notes: 'one transfer per batch; includes the 10 s channel-duration bound of the Worker policy',
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
