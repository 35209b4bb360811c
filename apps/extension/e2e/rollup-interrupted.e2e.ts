/**
 * An L2 send cut off after the user approved it (decisions 0413, 0420): the service worker is
 * killed, or the offscreen document hosting the rollup Worker is closed, while the signed tx is on
 * its way. The dApp gets one hash, and the tx lands once (owner nonce +1, value moved once). The
 * same holds for a raw tx a dApp signed itself and passed through the wallet.
 *
 * The cut is placed exactly by the test, not by timing: it instruments the live service worker
 * over the DevTools protocol (Playwright's service-worker handle) so that the wallet's
 * `eth_sendRawTransaction` message to the offscreen document is held — the restarted worker runs
 * the wallet's code untouched.
 */
import type { Server } from 'node:http'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page, Worker } from 'playwright-core'
import { type Address, type Hex, keccak256, parseEther } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import {
  agentRollup,
  approveNextRequest,
  buildForTest,
  createWallet,
  launchWithExtension,
  nextApprovalWindow,
  openPopup,
  serveDapp,
  stopServiceWorkers,
} from './harness.ts'
import { fundOnRollup, type RollupRpc, rollupRpc, switchToRollup } from './rollup-dapp.ts'

const manifest = inject('manifest')
const PASSWORD = 'correct horse battery'
const VALUE = parseEther('0.01')

let browser: Browser & { extensionId: string }
let dappServer: Server
let dapp: Page
let owner: Address
let rpc: RollupRpc

beforeAll(async () => {
  browser = await launchWithExtension(await buildForTest(manifest, { devRollupAccounts: true }))
  const served = await serveDapp()
  dappServer = served.server
  const account = await createWallet(browser, PASSWORD)
  dapp = await browser.context.newPage()
  await dapp.goto(served.url)
  await dapp.waitForFunction(() => window.dapp.wallets().length > 0)
  const connected = await approveNextRequest(browser.context, () => dapp.evaluate(() => window.dapp.connect()))
  expect(connected).toEqual({ ok: true, value: [account] })
  owner = await switchToRollup(dapp, browser.context, (await agentRollup(browser)).chainId)
  rpc = rollupRpc(dapp)
  await fundOnRollup(dapp, owner, parseEther('1'))
})

afterAll(async () => {
  await browser?.close()
  dappServer?.close()
})

/** The extension's running service worker (started by a message from a page if it idled out). */
async function serviceWorker(): Promise<Worker> {
  const ours = (w: Worker) => w.url().startsWith(`chrome-extension://${browser.extensionId}/`)
  const running = browser.context.serviceWorkers().find(ours)
  if (running) return running
  return browser.context.waitForEvent('serviceworker', { predicate: ours, timeout: 30_000 })
}

/**
 * Holds the worker's next `eth_sendRawTransaction` to the offscreen document: 'before' it reaches
 * the rollup node (released with `held.release()`); 'reply': the node gets the tx, the wallet never
 * gets the answer; 'close-on-reply': the offscreen document is closed as soon as the node answered.
 */
async function holdNextL2Send(worker: Worker, mode: 'before' | 'reply' | 'close-on-reply') {
  await worker.evaluate((m) => {
    const g = globalThis as unknown as { held?: { at: boolean; release?: () => void } }
    const runtime = chrome.runtime as unknown as { sendMessage: (message: unknown) => Promise<unknown> }
    const original = runtime.sendMessage.bind(chrome.runtime)
    g.held = { at: false }
    runtime.sendMessage = (message: unknown) => {
      const envelope = message as { to?: string; type?: string; payload?: { method?: string } }
      const isL2Send =
        envelope?.to === 'offscreen' &&
        envelope.type === 'rollup:request' &&
        envelope.payload?.method === 'eth_sendRawTransaction'
      if (!isL2Send) return original(message)
      runtime.sendMessage = original // only the first one (unless re-patched below)
      if (m === 'close-on-reply') {
        // The node answered (its block committed and on disk); the document closes before the wallet sees the reply.
        return original(message).then(async (reply) => {
          await chrome.offscreen.closeDocument()
          g.held!.at = true
          // Adversarial order: the first receipt lookup on the reopened node (the wallet's check
          // before re-sending the lost tx) is slowed down, so a send that did not wait for it
          // would take the lost tx's nonce. Not an assertion: the wallet must not depend on it.
          runtime.sendMessage = (next: unknown) => {
            const e = next as { type?: string; payload?: { method?: string } }
            if (e?.type !== 'rollup:request' || e.payload?.method !== 'eth_getTransactionReceipt') return original(next)
            runtime.sendMessage = original
            return new Promise((r) => setTimeout(r, 2_000)).then(() => original(next))
          }
          return reply
        })
      }
      if (m === 'reply') {
        return original(message).then(() => {
          g.held!.at = true
          return new Promise(() => {})
        })
      }
      g.held!.at = true
      return new Promise((resolve) => {
        g.held!.release = () => resolve(original(message))
      })
    }
  }, mode)
}

const isHeld = (worker: Worker) =>
  worker.evaluate(() => (globalThis as unknown as { held?: { at: boolean } }).held?.at === true)

const sessionRecord = (page: Page, id: string) =>
  page.evaluate(async (key) => (await chrome.storage.session.get(key))[key] as Record<string, unknown>, `request:${id}`)
const swBoots = (page: Page) =>
  page.evaluate(async () => (await chrome.storage.session.get('swBoots')).swBoots as number)

/** The dApp's send, the approval window's id for it, after the user clicked Approve. */
async function approveSend(recipient: Address, beforeApprove?: (page: Page) => Promise<void>) {
  const approval = nextApprovalWindow(browser.context)
  const sent = dapp.evaluate(
    ([a, to, v]) => window.dapp.sendTransaction(a as Address, to as Address, v as Hex),
    [owner, recipient, `0x${VALUE.toString(16)}`],
  )
  const page = await approval
  const id = decodeURIComponent(page.url().split('/approve/')[1]!)
  await page.getByRole('button', { name: 'Approve' }).waitFor()
  await beforeApprove?.(page)
  await page.getByRole('button', { name: 'Approve' }).click()
  return { sent: sent as Promise<{ ok: true; value: Hex } | { ok: false; code: number; message: string }>, id }
}

/** The tx is in a block, the owner's nonce moved by exactly `sends` and the recipient got the value once. */
async function expectLandedOnce(hash: Hex, recipient: Address, nonceBefore: number, sends = 1) {
  // Polled through the wallet like a dApp does; a lost tx fails here instead of hanging.
  const receipt = () => rpc('eth_getTransactionReceipt', [hash]) as Promise<unknown>
  await expect.poll(receipt, { timeout: 60_000, interval: 250 }).toMatchObject({ status: '0x1' })
  // A second copy (re-signed with the next nonce, or re-sent) would be in the node by now: the
  // wallet sends before it answers. Nothing is queued, the nonce moved by one.
  expect(Number(await rpc('eth_getTransactionCount', [owner, 'latest']))).toBe(nonceBefore + sends)
  expect(Number(await rpc('eth_getTransactionCount', [owner, 'pending']))).toBe(nonceBefore + sends)
  expect(BigInt(await rpc('eth_getBalance', [recipient, 'latest']))).toBe(VALUE)
}

const offscreenOpen = (worker: Worker) =>
  worker.evaluate(async () => {
    const contexts = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT' as never] })
    return contexts.length > 0
  })

describe('Seed extension: an approved L2 send that is cut off', () => {
  test('the service worker is killed after approval, the node has the tx, the dApp not yet: one hash, one tx', async () => {
    const recipient = '0x00000000000000000000000000000000000bee01' as Address
    const nonceBefore = Number(await rpc('eth_getTransactionCount', [owner, 'latest']))
    const worker = await serviceWorker()
    await holdNextL2Send(worker, 'reply')
    const { sent, id } = await approveSend(recipient)
    await expect.poll(() => isHeld(worker), { timeout: 30_000 }).toBe(true)
    const popup = await openPopup(browser)
    const journaled = (await sessionRecord(popup, id)).execution as { kind: string; raw: Hex; hash: Hex }
    expect(journaled).toMatchObject({ kind: 'l2', hash: keccak256(journaled.raw) })
    const bootsBefore = await swBoots(popup)
    await stopServiceWorkers(popup)

    const result = await sent
    expect(result).toEqual({ ok: true, value: journaled.hash })
    await expectLandedOnce(journaled.hash, recipient, nonceBefore)
    expect(await swBoots(popup)).toBeGreaterThan(bootsBefore)
    expect(await sessionRecord(popup, id)).toMatchObject({ status: 'done', result: journaled.hash })
    await popup.close()
  })

  test('the offscreen document is closed while the send is pending: approving reopens it, the tx lands once', async () => {
    const recipient = '0x00000000000000000000000000000000000bee02' as Address
    const nonceBefore = Number(await rpc('eth_getTransactionCount', [owner, 'latest']))
    const { sent } = await approveSend(recipient, async () => {
      const worker = await serviceWorker()
      await worker.evaluate(() => chrome.offscreen.closeDocument())
      expect(await offscreenOpen(worker)).toBe(false)
    })
    const result = await sent
    expect(result).toMatchObject({ ok: true, value: expect.stringMatching(/^0x[0-9a-f]{64}$/) })
    await expectLandedOnce((result as { value: Hex }).value, recipient, nonceBefore)
  })

  test('the offscreen document is closed just after approval, with the signed tx on its way: it lands once', async () => {
    const recipient = '0x00000000000000000000000000000000000bee03' as Address
    const nonceBefore = Number(await rpc('eth_getTransactionCount', [owner, 'latest']))
    const worker = await serviceWorker()
    await holdNextL2Send(worker, 'before')
    const { sent, id } = await approveSend(recipient)
    await expect.poll(() => isHeld(worker), { timeout: 30_000 }).toBe(true)
    await worker.evaluate(() => chrome.offscreen.closeDocument())
    expect(await offscreenOpen(worker)).toBe(false)
    await worker.evaluate(() => (globalThis as unknown as { held: { release(): void } }).held.release())

    const result = await sent
    const popup = await openPopup(browser)
    const record = await sessionRecord(popup, id)
    expect(record).toMatchObject({ status: 'done', execution: { kind: 'l2' } })
    const { hash } = record.execution as { hash: Hex }
    await popup.close()
    expect(result).toEqual({ ok: true, value: hash })
    await expectLandedOnce(hash, recipient, nonceBefore)
    expect(await offscreenOpen(await serviceWorker())).toBe(true)
  })

  test('the offscreen document is closed right after the node answered, before the wallet saw the reply: the tx lands once, before the next send', async () => {
    const recipient = '0x00000000000000000000000000000000000bee04' as Address
    const nextRecipient = '0x00000000000000000000000000000000000bee05' as Address
    const nonceBefore = Number(await rpc('eth_getTransactionCount', [owner, 'latest']))
    const worker = await serviceWorker()
    await holdNextL2Send(worker, 'close-on-reply')
    const { sent, id } = await approveSend(recipient)
    const result = await sent
    expect(await isHeld(worker)).toBe(true) // the document was closed before the dApp got its answer
    // The user sends again at once: that send reopens the document; the lost tx keeps its nonce.
    const next = await approveSend(nextRecipient)
    const nextResult = await next.sent
    const popup = await openPopup(browser)
    const { hash } = (await sessionRecord(popup, id)).execution as { hash: Hex }
    await popup.close()
    expect(result).toEqual({ ok: true, value: hash })
    expect(nextResult).toMatchObject({ ok: true, value: expect.stringMatching(/^0x[0-9a-f]{64}$/) })
    await expectLandedOnce(hash, recipient, nonceBefore, 2)
    await expectLandedOnce((nextResult as { value: Hex }).value, nextRecipient, nonceBefore, 2)
  })

  test("a dApp's own signed tx passed through the wallet, document closed right after the node answered: re-sent, it lands once", async () => {
    const recipient = '0x00000000000000000000000000000000000bee06' as Address
    const sender = devAccount('user') // funded in the rollup's genesis; signs outside the wallet
    const nonceBefore = Number(await rpc('eth_getTransactionCount', [sender.address, 'pending']))
    const raw = await sender.signTransaction({
      chainId: Number(await rpc('eth_chainId')),
      type: 'eip1559',
      nonce: nonceBefore,
      to: recipient,
      value: VALUE,
      gas: 21_000n,
      maxFeePerGas: BigInt(await rpc('eth_gasPrice')) * 2n,
      maxPriorityFeePerGas: 0n,
    })
    const worker = await serviceWorker()
    await holdNextL2Send(worker, 'close-on-reply')
    const sent = await dapp.evaluate((r) => window.dapp.request('eth_sendRawTransaction', [r]), raw)
    expect(sent).toEqual({ ok: true, value: keccak256(raw) })
    expect(await isHeld(worker)).toBe(true) // the document was closed before the dApp got its answer

    // The dApp polls for its receipt, which reopens the document: the wallet re-sends the tx first.
    await expect
      .poll(() => rpc('eth_getTransactionReceipt', [keccak256(raw)]) as Promise<unknown>, { timeout: 60_000 })
      .toMatchObject({ status: '0x1' })
    expect(Number(await rpc('eth_getTransactionCount', [sender.address, 'pending']))).toBe(nonceBefore + 1)
    expect(BigInt(await rpc('eth_getBalance', [recipient, 'latest']))).toBe(VALUE)
  })
})
