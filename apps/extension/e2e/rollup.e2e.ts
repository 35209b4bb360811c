/**
 * The embedded rollup as a dApp sees it: the node runs in a Worker inside the extension's offscreen
 * document (IndexedDB), the agent's rollup account signs L2 transactions, and the chain survives a
 * browser restart.
 */
import { rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { type Browser, launchChromium } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import { type Address, type Hex, numberToHex, parseEther } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import {
  agentRollup,
  approveNextRequest,
  buildForTest,
  createWallet,
  launchWithExtension,
  openPopup,
  screenshot,
  serveDapp,
} from './harness.ts'
import { fundOnRollup, rollupRpc, switchToRollup } from './rollup-dapp.ts'

const manifest = inject('manifest')
const PASSWORD = 'correct horse battery'

let browser: Browser & { extensionId: string }
let extensionPath: string
let dappServer: Server
let dappUrl: string
let dapp: Page
let account: Address
let rollupChainId: number
/** The profile reused across the restart (launchChromium only removes profiles it created). */
let restartedProfile: string | undefined

beforeAll(async () => {
  extensionPath = await buildForTest(manifest, { devRollupAccounts: true })
  browser = await launchWithExtension(extensionPath)
  ;({ url: dappUrl, server: dappServer } = await serveDapp())
  account = await createWallet(browser, PASSWORD)
  dapp = await browser.context.newPage()
  await dapp.goto(dappUrl)
  await dapp.waitForFunction(() => window.dapp.wallets().length > 0)
  const connected = await approveNextRequest(browser.context, () => dapp.evaluate(() => window.dapp.connect()))
  expect(connected).toEqual({ ok: true, value: [account] })
})

afterAll(async () => {
  await browser?.close()
  dappServer?.close()
  if (restartedProfile) rmSync(restartedProfile, { recursive: true, force: true })
})

describe('Seed extension: embedded rollup', () => {
  test("on the rollup (in the offscreen Worker) the agent's rollup account sends an L2 transaction and gets its receipt", async () => {
    rollupChainId = (await agentRollup(browser)).chainId
    const owner = await switchToRollup(dapp, browser.context, rollupChainId)
    expect(await dapp.evaluate(() => window.dapp.chainId())).toEqual({ ok: true, value: rollupChainId })
    expect(await dapp.evaluate(() => window.dapp.events())).toContainEqual({
      event: 'chainChanged',
      data: numberToHex(rollupChainId),
    })
    expect(owner).not.toBe(account)

    // A devnet account (funded in this dev-flag build's genesis) tops it up: a signed tx passes through.
    const rpc = rollupRpc(dapp)
    await fundOnRollup(dapp, owner, parseEther('1'))

    const recipient = '0x00000000000000000000000000000000000beef4'
    const sent = (await approveNextRequest(
      browser.context,
      () =>
        dapp.evaluate(
          ([a, to]) => window.dapp.sendTransaction(a as Address, to as Address, '0x2386f26fc10000'),
          [owner, recipient],
        ),
      'approval-l2',
    )) as { ok: boolean; value: Hex }
    expect(sent).toMatchObject({ ok: true, value: expect.stringMatching(/^0x[0-9a-f]{64}$/) })
    expect(await dapp.evaluate((h) => window.dapp.waitForReceipt(h), sent.value)).toMatchObject({
      ok: true,
      value: { status: '0x1' },
    })
    expect(await rpc('eth_getBalance', [recipient, 'latest'])).toBe('0x2386f26fc10000')

    const receipt = (await dapp.evaluate((h) => window.dapp.waitForReceipt(h), sent.value)) as {
      value: { blockNumber: Hex }
    }
    const popup = await openPopup(browser, '/rollup')
    await popup.setViewportSize({ width: 380, height: 600 })
    await popup.getByText(`Rollup · chain ${rollupChainId}`).waitFor()
    // The block holding the tx gets sealed and committed to IndexedDB.
    await popup.getByText(/#(\d+) on disk/).waitFor()
    await expect
      .poll(async () => Number((await popup.getByText(/on disk/).textContent())?.match(/#(\d+) on disk/)?.[1]), {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(Number(receipt.value.blockNumber))
    await screenshot(popup, 'rollup-status')
    await popup.close()
  })

  test('after a browser restart the rollup chain is still there (IndexedDB) and the wallet is locked', async () => {
    const recipient = '0x00000000000000000000000000000000000beef4'
    const userDataDir = browser.userDataDir
    await browser.close({ keepProfile: true })
    browser = (await launchChromium({ extensionPath, userDataDir })) as typeof browser
    dapp = await browser.context.newPage()
    await dapp.goto(dappUrl)
    await dapp.waitForFunction(() => window.dapp.wallets().length > 0)
    // The origin's chain choice persisted; the rollup Worker reopened its chain from IndexedDB.
    expect(await dapp.evaluate(() => window.dapp.chainId())).toEqual({ ok: true, value: rollupChainId })
    const balance = await dapp.evaluate((a) => window.dapp.request('eth_getBalance', [a, 'latest']), recipient)
    expect(balance).toEqual({ ok: true, value: '0x2386f26fc10000' })
    const head = (await dapp.evaluate(() => window.dapp.request('eth_blockNumber'))) as { value: Hex }
    expect(Number(head.value)).toBeGreaterThan(0)
    // chrome.storage.session (the unlocked key) does not outlive the browser.
    expect(await dapp.evaluate(() => window.dapp.request('eth_accounts'))).toEqual({ ok: true, value: [] })
    restartedProfile = userDataDir
  })
})
