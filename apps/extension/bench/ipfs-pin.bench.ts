/**
 * How the extension's Worker batcher reaches the IPFS peer (decision 0421), libp2p vs HTTP in the
 * same run (headless Chromium + the built extension + a fresh devnet):
 *   ext.ipfs_pin_ms             one batch pinned: Worker Helia node → peer over libp2p (/seed/pin/1.0.0),
 *                               p50; baseline: the same build without the peer's multiaddr (HTTP API)
 *   ext.batch_latency_ipfs_ms   L2 receipt → the inbox accepts a batch covering it, p50, same baseline
 * Each variant is a fresh profile, wallet and inbox. Run: `tsx apps/extension/bench/ipfs-pin.bench.ts`.
 */
import { type Manifest, startStack } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import { buildForTest, launchWithExtension } from '../e2e/harness.ts'
import { send, startBatchingWallet } from './batching-session.ts'

const SAMPLES = 4

type Pin = { via: string; ms: number; at: number }

async function measure(manifest: Manifest, via: 'libp2p' | 'http') {
  // The HTTP baseline is the same code built without the peer's libp2p address.
  const { ipfs, ...httpOnly } = manifest.services
  const built = await buildForTest(via === 'libp2p' ? manifest : { ...manifest, services: httpOnly }, {
    devRollupAccounts: true,
  })
  const browser = await launchWithExtension(built)
  try {
    const { page, timeToBatch } = await startBatchingWallet(browser, manifest)
    const latency: number[] = []
    const pins: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      latency.push(await timeToBatch('0x00000000000000000000000000000000000be4c2'))
      const state = await send<{ lastPin?: Pin }>(page, 'offscreen', 'rollup:batching')
      if (state.lastPin?.via !== via) throw new Error(`${via} variant pinned ${JSON.stringify(state.lastPin)}`)
      pins.push(state.lastPin.ms)
      log(`${via} sample ${i}: batch ${round(latency.at(-1)!)} ms, pin ${round(state.lastPin.ms, 1)} ms`)
    }
    return { latency: stats(latency), pin: stats(pins) }
  } finally {
    await browser.close()
  }
}

const stack = await startStack({ manifestPath: false })
try {
  const viaHttp = await measure(stack.manifest, 'http')
  const viaLibp2p = await measure(stack.manifest, 'libp2p')
  emit({
    bench: 'ext.ipfs_pin_ms',
    value: round(viaLibp2p.pin.p50, 1),
    unit: 'ms',
    env: 'chromium',
    ...viaLibp2p.pin,
    baseline: { name: 'http pin (same build without the libp2p address)', value: round(viaHttp.pin.p50, 1) },
    notes: 'one batch per sample; the first libp2p pin includes dialling the peer',
  })
  emit({
    bench: 'ext.batch_latency_ipfs_ms',
    value: round(viaLibp2p.latency.p50),
    unit: 'ms',
    env: 'chromium',
    ...viaLibp2p.latency,
    baseline: { name: 'http pin', value: round(viaHttp.latency.p50) },
    notes: 'L2 receipt → inbox head covers it; includes the 10 s channel-duration bound',
  })
} catch (error) {
  log(error)
  process.exitCode = 1
} finally {
  await stack.stop()
}
