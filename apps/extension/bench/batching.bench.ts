/**
 * Batching figures of the extension's embedded rollup (headless Chromium + the built extension + a
 * fresh devnet):
 *   ext.batch_setup_ms     "Start batching": user op creating the agent inbox + funding the batcher + Worker setup
 *   ext.batch_latency_ms   L2 receipt → the inbox on L1 accepts a batch covering it, p50 (the Worker's
 *                          policy posts a quiet chain at the latest 10 s after its first block)
 * Run: `tsx apps/extension/bench/batching.bench.ts` (logs on stderr, JSON lines on stdout).
 */
import { RollupInboxAbi } from '@seed/contracts'
import { devAccount, startStack } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import type { Page } from 'playwright-core'
import { type Address, createPublicClient, createWalletClient, type Hex, http, parseEther } from 'viem'
import { generatePrivateKey } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { buildForTest, launchWithExtension, openPopup } from '../e2e/harness.ts'

const LATENCY_SAMPLES = 4
const ROLLUP_CHAIN_ID = 31338
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A typed message from an extension page, like the popup sends it. */
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

const stack = await startStack({ manifestPath: false })
const { manifest } = stack
const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
try {
  const browser = await launchWithExtension(await buildForTest(manifest))
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

    const setupStart = performance.now()
    const status = await send<{ batching: { inbox: Address } }>(page, 'background', 'ui:enableBatching')
    emit({ bench: 'ext.batch_setup_ms', value: round(performance.now() - setupStart), unit: 'ms', env: 'chromium' })
    const inbox = status.batching.inbox

    const sender = devAccount('user')
    const samples: number[] = []
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const gasPrice = BigInt((await l2('eth_gasPrice')) as Hex)
      const raw = await sender.signTransaction({
        chainId: ROLLUP_CHAIN_ID,
        type: 'eip1559',
        nonce: Number(await l2('eth_getTransactionCount', [sender.address, 'pending'])),
        to: '0x00000000000000000000000000000000000be4c1',
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
        const [, , lastBlock] = await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'head' })
        if (lastBlock >= BigInt(receipt.blockNumber)) break
        await sleep(100)
      }
      samples.push(performance.now() - sealed)
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
