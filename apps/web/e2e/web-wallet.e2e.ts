/// <reference types="chrome" />
// (the extension harness drives the popup with chrome.runtime)
/**
 * The web app with the Seed wallet loaded (the extension's e2e harness builds it against this devnet): the
 * bridge page finds the wallet through EIP-6963, connects, reads the account's L1 balance through the
 * wallet's provider, and deposits into an agent chain with `eth_sendTransaction` that the wallet's
 * pipeline asks its user to approve. Screenshots go to apps/web/test-results/.
 */
import { join } from 'node:path'
import { applyL1ToL2Alias } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import { createWalletClient, formatEther, http, parseEther } from 'viem'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { buildForTest, createWallet, launchWithExtension, nextApprovalWindow } from '../../extension/e2e/harness.ts'
import { startWebApp } from '../server.ts'
import { bridgedChain, l1Clients } from './l1-fixtures.ts'

const manifest = inject('manifest')
const SCREENSHOTS = join(import.meta.dirname, '..', 'test-results')
const { chain, client: l1 } = l1Clients(manifest)
let browser: Browser & { extensionId: string }
let web: Awaited<ReturnType<typeof startWebApp>>

beforeAll(async () => {
  const [built, started] = await Promise.all([buildForTest(manifest), startWebApp(manifest)])
  web = started
  browser = await launchWithExtension(built)
})
afterAll(async () => {
  await browser?.close()
  await web?.close()
})

test('a deposit through the bridge page, sent and approved in the Seed wallet', async () => {
  const account = await createWallet(browser, 'correct horse battery')
  const funder = createWalletClient({ chain, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
  await l1.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account, value: parseEther('1') }) })
  const bridged = await bridgedChain(manifest)

  const page = await browser.context.newPage()
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(`${web.url}bridge?chain=${bridged.inbox}`)
  const connect = page.getByRole('button', { name: 'Connect the Seed wallet' })
  await connect.waitFor({ timeout: 30_000 })
  const approval = nextApprovalWindow(browser.context)
  await connect.click()
  const window = await approval
  await window.getByRole('button', { name: 'Approve' }).click()

  // A read through the wallet's provider: the balance it reports is the chain's.
  const balance = await l1.getBalance({ address: account })
  await expect
    .poll(() => page.locator('#wallet-balance').textContent(), { timeout: 30_000 })
    .toBe(`${formatEther(balance)} ETH`)
  expect(await page.getByRole('textbox', { name: 'Recipient on L2' }).inputValue()).toBe(account)

  await page.getByRole('textbox', { name: 'Amount (ETH)' }).fill('0.02')
  const send = nextApprovalWindow(browser.context)
  await page.getByRole('button', { name: 'Deposit' }).click()
  await expect
    .poll(() => page.locator('#deposit-progress').textContent(), { timeout: 30_000 })
    .toContain('approve the deposit there')
  const sendWindow = await send
  await sendWindow.getByRole('button', { name: 'Approve' }).click()
  await expect
    .poll(() => page.locator('#deposit-progress').textContent(), { timeout: 90_000 })
    .toMatch(/^✓ Deposited in L1 block #\d+ \(deposit nonce 0\)/)

  // The portal saw the smart account (a contract: its L2 sender is aliased) deposit 0.02 ETH to itself.
  const row = page.locator('table.deposits tbody tr').first()
  await expect
    .poll(() => row.locator('td').allTextContents(), { timeout: 30_000 })
    .toEqual([
      '0',
      short(applyL1ToL2Alias(account)),
      short(account),
      '0.02 ETH',
      '0.02 ETH',
      expect.stringMatching(/^0x[0-9a-f]{10}…[0-9a-f]{4}$/),
    ])
  await page.screenshot({ path: join(SCREENSHOTS, 'bridge-deposit-wallet-1280.png'), fullPage: true })
  await page.setViewportSize({ width: 360, height: 900 })
  await page.screenshot({ path: join(SCREENSHOTS, 'bridge-deposit-wallet-360.png'), fullPage: true })
  await page.close()
})

const short = (hex: string) => `${hex.slice(0, 10)}…${hex.slice(-4)}`
