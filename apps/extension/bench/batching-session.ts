/**
 * Shared steps of the batching benches: a fresh wallet in the launched extension that starts
 * batching, and one timed L2 transfer from its receipt to the inbox accepting a batch that covers it.
 */
import { RollupInboxAbi } from '@seed/contracts'
import { devAccount, type Manifest } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type { Page } from 'playwright-core'
import { type Address, createPublicClient, createWalletClient, type Hex, http, parseEther } from 'viem'
import { generatePrivateKey } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { openPopup } from '../e2e/harness.ts'

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A typed message from an extension page, like the popup sends it. */
export async function send<T>(page: Page, to: 'background' | 'offscreen', type: string, payload?: unknown): Promise<T> {
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

/** Creates a wallet, funds its smart account on L1 and clicks "Start batching" (timed). */
export async function startBatchingWallet(browser: Browser & { extensionId: string }, manifest: Manifest) {
  const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
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
  const { batching } = await send<{ batching: { inbox: Address } }>(page, 'background', 'ui:enableBatching')
  const setupMs = performance.now() - setupStart

  /** One L2 transfer to `to`; ms from its receipt to the inbox's head covering its block. */
  async function timeToBatch(to: Address) {
    const sender = devAccount('user')
    const gasPrice = BigInt((await l2('eth_gasPrice')) as Hex)
    const raw = await sender.signTransaction({
      chainId: Number(await l2('eth_chainId')),
      type: 'eip1559',
      nonce: Number(await l2('eth_getTransactionCount', [sender.address, 'pending'])),
      to,
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
      const [, , lastBlock] = await l1.readContract({
        address: batching.inbox,
        abi: RollupInboxAbi,
        functionName: 'head',
      })
      if (lastBlock >= BigInt(receipt.blockNumber)) break
      await sleep(100)
    }
    return performance.now() - sealed
  }

  return { page, inbox: batching.inbox, setupMs, timeToBatch }
}
