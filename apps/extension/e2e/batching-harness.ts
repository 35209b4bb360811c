/**
 * Shared by the batching e2e files: a wallet imported from a known owner key, JSON-RPC to the
 * extension's rollup node and background from an extension page, L2 transfers, and L1 inbox reads.
 */
import { RollupInboxAbi } from '@seed/contracts'
import type { Manifest } from '@seed/devnet'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type { Page } from 'playwright-core'
import { type Address, createPublicClient, createWalletClient, type Hex, http, parseEther } from 'viem'
import { foundry } from 'viem/chains'
import { expect } from 'vitest'
import { openPopup } from './harness.ts'

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export const l1ClientFor = (manifest: Manifest) =>
  createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })

/** Onboards by importing the owner key in the popup; returns the smart account it shows. */
export async function importWallet(b: Browser, ownerKey: Hex, password: string): Promise<Address> {
  const popup = await openPopup(b)
  await popup.getByRole('button', { name: 'Import key' }).click()
  await popup.getByLabel('Owner private key').fill(ownerKey)
  await popup.getByLabel('Password', { exact: true }).fill(password)
  await popup.getByLabel('Confirm password').fill(password)
  await popup.getByRole('button', { name: 'Import wallet' }).click()
  await popup.getByText('Smart account · L1 devnet').waitFor()
  const smartAccount = (await popup.locator('.address code').first().textContent()) as Address
  await popup.close()
  return smartAccount
}

/** Sends L1 ETH from the devnet's `user` account (the smart account pays for its user ops). */
export async function fundOnL1(manifest: Manifest, to: Address, value = parseEther('1')) {
  const l1 = l1ClientFor(manifest)
  const funder = createWalletClient({
    chain: foundry,
    transport: http(manifest.l1.rpcUrl),
    account: devAccount('user'),
  })
  await l1.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to, value }) })
}

/** JSON-RPC to the extension's rollup node (background → offscreen → Worker hop, from an extension page). */
export async function l2Request<T = Hex>(ext: Page, method: string, params: unknown[] = []): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const reply = (await ext.evaluate(
      ([m, p]) =>
        chrome.runtime.sendMessage({
          seed: 1,
          to: 'offscreen',
          type: 'rollup:request',
          payload: { method: m, params: p },
        }),
      [method, params] as const,
    )) as { result?: T; error?: { message: string } } | undefined
    if (reply?.error) throw new Error(`${method}: ${reply.error.message}`)
    if (reply) return reply.result as T
    if (attempt > 100) throw new Error(`${method}: the offscreen document did not answer`)
    await sleep(100) // the offscreen document is (re)starting
  }
}

/** A `ui:*` message to the background, as the popup sends it. */
export async function uiRequest<T = any>(ext: Page, type: string, payload?: unknown): Promise<T> {
  const reply = (await ext.evaluate(
    ([t, p]) => chrome.runtime.sendMessage({ seed: 1, to: 'background', type: t, payload: p }),
    [type, payload] as const,
  )) as { result?: T; error?: { message: string } }
  if (reply.error) throw new Error(`${type}: ${reply.error.message}`)
  return reply.result as T
}

/**
 * Sends one L2 transfer (from the devnet's `user`, funded in a dev-flag build's genesis) and returns
 * its block once IndexedDB holds it.
 */
export async function sendL2Transfer(ext: Page, to: Address): Promise<bigint> {
  const sender = devAccount('user')
  const l2 = <T = Hex>(method: string, params: unknown[] = []) => l2Request<T>(ext, method, params)
  const gasPrice = BigInt(await l2('eth_gasPrice'))
  const raw = await sender.signTransaction({
    chainId: Number(await l2('eth_chainId')),
    type: 'eip1559',
    nonce: Number(await l2('eth_getTransactionCount', [sender.address, 'pending'])),
    to,
    value: parseEther('0.01'),
    gas: 21_000n,
    maxFeePerGas: gasPrice * 2n,
    maxPriorityFeePerGas: 0n,
  })
  const hash = await l2('eth_sendRawTransaction', [raw])
  for (;;) {
    const receipt = await l2<{ blockNumber: Hex; status: Hex } | null>('eth_getTransactionReceipt', [hash])
    if (receipt) {
      expect(receipt.status).toBe('0x1')
      const block = BigInt(receipt.blockNumber)
      while (BigInt((await l2<{ persistedHead: Hex }>('rollup_status')).persistedHead) < block) await sleep(100)
      return block
    }
    await sleep(100)
  }
}

export const inboxHeadOf = (manifest: Manifest, inbox: Address) =>
  l1ClientFor(manifest).readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'head' })

/** Waits until the inbox has a batch covering the L2 block; returns the inbox's batch count. */
export async function waitForBatchCovering(manifest: Manifest, inbox: Address, block: bigint, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [count, , lastBlock] = await inboxHeadOf(manifest, inbox)
    if (lastBlock >= block) return count
    if (Date.now() > deadline) throw new Error(`no batch covered L2 block ${block} within ${timeoutMs} ms`)
    await sleep(250)
  }
}

/** Closes the offscreen document (and so the rollup Worker) like Chrome does when it tears it down. */
export async function closeOffscreen(browser: Browser) {
  const worker = browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'))
  await worker.evaluate(() => chrome.offscreen.closeDocument())
  expect(await worker.evaluate(() => chrome.offscreen.hasDocument())).toBe(false)
}
