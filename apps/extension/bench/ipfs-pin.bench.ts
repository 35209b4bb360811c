/**
 * How the extension's Worker batcher reaches the IPFS peer (decision 0421), libp2p vs HTTP in the
 * same run (headless Chromium + the built extension + a fresh devnet):
 *   ext.ipfs_pin_ms             one batch pinned: Worker Helia node → peer over libp2p (/seed/pin/1.0.0),
 *                               p50; baseline: the same build without the peer's multiaddr (HTTP API)
 *   ext.batch_latency_ipfs_ms   L2 receipt → the inbox accepts a batch covering it, p50, same baseline
 * Each variant is a fresh profile, wallet and inbox. Run: `tsx apps/extension/bench/ipfs-pin.bench.ts`.
 */
import { RollupInboxAbi } from '@seed/contracts'
import { devAccount, type Manifest, startStack } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import type { Page } from 'playwright-core'
import { type Address, createPublicClient, createWalletClient, type Hex, http, parseEther } from 'viem'
import { generatePrivateKey } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { buildForTest, launchWithExtension, openPopup } from '../e2e/harness.ts'

const SAMPLES = 4
const ROLLUP_CHAIN_ID = 31338
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function send<T>(page: Page, to: 'background' | 'offscreen', type: string, payload?: unknown): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const reply = (await page.evaluate(
      ([t, ty, p]) => chrome.runtime.sendMessage({ seed: 1, to: t, type: ty, payload: p }),
      [to, type, payload] as const,
    )) as { result?: T; error?: { message: string } } | undefined
    if (reply?.error) throw new Error(`${type}: ${reply.error.message}`)
    if (reply) return reply.result as T
    if (attempt > 100) throw new Error(`${type}: no answer`)
    await sleep(100)
  }
}

type Pin = { via: string; ms: number; at: number }

async function measure(manifest: Manifest, via: 'libp2p' | 'http') {
  const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
  // The HTTP baseline is the same code built without the peer's libp2p address.
  const { ipfs, ...httpOnly } = manifest.services
  const built = await buildForTest(via === 'libp2p' ? manifest : { ...manifest, services: httpOnly })
  const browser = await launchWithExtension(built)
  try {
    const page = await openPopup(browser, '/sites')
    const l2 = (method: string, params: unknown[] = []) =>
      send<unknown>(page, 'offscreen', 'rollup:request', { method, params })
    const { smartAccount } = await send<{ smartAccount: Address }>(page, 'background', 'ui:create', {
      password: 'bench password',
      privateKey: generatePrivateKey(),
    })
    const funder = createWalletClient({
      chain: foundry,
      transport: http(manifest.l1.rpcUrl),
      account: devAccount('user'),
    })
    await l1.waitForTransactionReceipt({
      hash: await funder.sendTransaction({ to: smartAccount, value: parseEther('1') }),
    })
    const { batching } = await send<{ batching: { inbox: Address } }>(page, 'background', 'ui:enableBatching')

    const sender = devAccount('user')
    const latency: number[] = []
    const pins: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      const gasPrice = BigInt((await l2('eth_gasPrice')) as Hex)
      const raw = await sender.signTransaction({
        chainId: ROLLUP_CHAIN_ID,
        type: 'eip1559',
        nonce: Number(await l2('eth_getTransactionCount', [sender.address, 'pending'])),
        to: '0x00000000000000000000000000000000000be4c2',
        value: 1n,
        gas: 21_000n,
        maxFeePerGas: gasPrice * 2n,
        maxPriorityFeePerGas: 0n,
      })
      const hash = await l2('eth_sendRawTransaction', [raw])
      let receipt = (await l2('eth_getTransactionReceipt', [hash])) as { blockNumber: Hex } | null
      while (!receipt) {
        await sleep(50)
        receipt = (await l2('eth_getTransactionReceipt', [hash])) as { blockNumber: Hex } | null
      }
      const sealed = performance.now()
      for (;;) {
        const head = await l1.readContract({ address: batching.inbox, abi: RollupInboxAbi, functionName: 'head' })
        if (head[2] >= BigInt(receipt.blockNumber)) break
        await sleep(100)
      }
      latency.push(performance.now() - sealed)
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
