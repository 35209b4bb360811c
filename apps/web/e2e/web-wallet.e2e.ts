/// <reference types="chrome" />
// (the extension harness drives the popup with chrome.runtime)
/**
 * The web app with the Seed wallet loaded (the extension's e2e harness builds it against this devnet): the
 * bridge page finds the wallet through EIP-6963, connects, reads the account's L1 balance through the
 * wallet's provider, and deposits into an agent chain with `eth_sendTransaction` that the wallet's
 * pipeline asks its user to approve; on the wallet's own chain the page also initiates a withdrawal the wallet
 * sends there. Screenshots go to apps/web/test-results/.
 */
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import {
  applyL1ToL2Alias,
  depositEth,
  getBridgeConfig,
  getWithdrawalStatus,
  L2_TO_L1_MESSAGE_PASSER,
  L2ToL1MessagePasserAbi,
  type Withdrawal,
} from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type { Page } from 'playwright-core'
import { type Address, createWalletClient, formatEther, type Hex, http, parseEther, parseEventLogs } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { l2Request } from '../../extension/e2e/batching-harness.ts'
import { approvalPage, finished, openConsole, runRecords, startScript } from '../../extension/e2e/console-harness.ts'
import {
  agentRollup,
  buildForTest,
  createWallet,
  launchWithExtension,
  nextApprovalWindow,
  openPopup,
} from '../../extension/e2e/harness.ts'
import { startWebApp } from '../server.ts'
import { bridgedChain, l1Clients } from './l1-fixtures.ts'
import { rollupClients } from './traffic.ts'

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
  const account = await walletAccount()
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

test('a withdrawal from the stack’s rollup proven and finalized through the bridge page and the Seed wallet after the 60 s window', async () => {
  const account = await walletAccount()
  const { send, funded } = l1Clients(manifest)
  // The smart account pays its user ops' gas on L1.
  const funder = createWalletClient({ chain, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
  await l1.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account, value: parseEther('0.5') }) })
  // The portal pays withdrawals from the chain's escrow: a deposit puts ETH there.
  const depositor = await funded('2')
  await send(
    depositor,
    await depositEth(l1, { inbox: manifest.contracts.rollupInbox, to: depositor.address, amount: parseEther('1') }),
  )
  // The wallet sends on L1 and its own rollup only: the withdrawal on the stack's chain comes from a
  // genesis-funded account there, as from any other wallet; proving and finalizing are L1 calls anyone sends.
  const recipient = privateKeyToAccount(generatePrivateKey()).address
  const value = parseEther('0.25')
  const l2 = rollupClients(manifest)
  const receipt = await l2.public.waitForTransactionReceipt({
    hash: await l2.user.writeContract({
      address: L2_TO_L1_MESSAGE_PASSER,
      abi: L2ToL1MessagePasserAbi,
      functionName: 'initiateWithdrawal',
      args: [recipient, 100_000n, '0x'],
      value,
    }),
  })
  const passed = parseEventLogs({
    abi: L2ToL1MessagePasserAbi,
    eventName: 'MessagePassed',
    logs: receipt.logs,
  })[0]!.args
  const label = short(passed.withdrawalHash, 12)

  const page = await browser.context.newPage()
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(`${web.url}bridge`)
  await connectIfAsked(page)

  // Withdrawing from here asks the wallet to move to this chain: it says it does not send there.
  await page.getByRole('textbox', { name: 'Amount to withdraw (ETH)' }).fill('0.01')
  await page.getByRole('button', { name: 'Withdraw', exact: true }).click()
  await expect
    .poll(() => page.locator('#withdraw-progress').textContent(), { timeout: 30_000 })
    .toContain(`The Seed wallet does not send on chain ${manifest.rollup.chainId}`)

  // Prove: built in the page from the rollup node's eth_getProof once a batch posts the output, sent by the wallet.
  const item = page
    .locator('ul.withdrawals > li')
    .filter({ has: page.getByRole('list', { name: `Withdrawal ${label}` }) })
  const prove = item.getByRole('button', { name: `Prove withdrawal ${label}` })
  await prove.waitFor({ timeout: 90_000 })
  const proveWindow = nextApprovalWindow(browser.context)
  await prove.click()
  await (await proveWindow).getByRole('button', { name: 'Approve' }).click()
  await expect
    .poll(() => item.getByRole('status').textContent(), { timeout: 90_000 })
    .toMatch(/^✓ Proven in L1 block #\d+/)
  expect(
    (await getWithdrawalStatus(l1, { inbox: manifest.contracts.rollupInbox, withdrawal: withoutHash(passed) })).status,
  ).toMatch(/^(proven|ready)$/)

  // Finalize waits for the window, counting down; the L1 clock moves with a block a second (no time travel).
  const finalize = item.getByRole('button', { name: `Finalize withdrawal ${label}` })
  const mining = mineEverySecond()
  try {
    const first = await finalize.textContent()
    if (first !== 'Finalize') {
      expect(first).toMatch(/^Finalize in \d+ s$/)
      expect(await finalize.isDisabled()).toBe(true)
      await expect.poll(() => finalize.textContent(), { timeout: 10_000 }).not.toBe(first)
      await page.screenshot({ path: join(SCREENSHOTS, 'bridge-withdrawal-countdown-1280.png'), fullPage: true })
    }
    await expect.poll(() => finalize.textContent(), { timeout: 120_000, interval: 1_000 }).toBe('Finalize')
    const finalizeWindow = nextApprovalWindow(browser.context)
    await finalize.click()
    await (await finalizeWindow).getByRole('button', { name: 'Approve' }).click()
    await expect
      .poll(() => item.getByRole('status').textContent(), { timeout: 90_000 })
      .toMatch(/^✓ Finalized: the ETH is paid on L1 in L1 block #\d+/)
  } finally {
    mining.stop()
  }
  expect(await l1.getBalance({ address: recipient })).toBe(value)
  await expect
    .poll(
      () =>
        item
          .getByRole('list', { name: `Withdrawal ${label}` })
          .locator('li')
          .last()
          .textContent(),
      { timeout: 30_000 },
    )
    .toBe('done: Finalized · relayed')
  await expect.poll(() => item.getByRole('button').count(), { timeout: 30_000 }).toBe(0)
  await page.screenshot({ path: join(SCREENSHOTS, 'bridge-withdrawal-finalized-1280.png'), fullPage: true })
  // The wallet's forms and the timelines' buttons (absent from the wallet-less suite's axe pass).
  const { violations } = await new AxeBuilder({ page }).analyze()
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
  await page.close()
}, 360_000)

test('an agent the Seed wallet registered from its smart account: the Agents page verifies its wallet proof through ERC-1271', async () => {
  const account = await walletAccount()
  const funder = createWalletClient({ chain, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
  await l1.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account, value: parseEther('0.5') }) })
  // The wallet pins its registration file under its batcher key: batching first (one click, one user op).
  await walletBatching()
  const panel = await openConsole(browser)
  const runId = await startScript(
    panel,
    `return JSON.stringify(await agents.register({ name: 'web suite wallet agent', services: [{ name: 'rollup-rpc', endpoint: 'http://127.0.0.1:9/rpc' }] }))`,
    { cpuMs: 5000 },
  )
  // register(), then the agentURI and the ERC-1271 proof: two sends, each approved in its window.
  for (let i = 0; i < 2; i++) {
    const window = await approvalPage(browser.context, 90_000)
    await window.getByRole('button', { name: 'Approve' }).click()
    await window.waitForEvent('close').catch(() => undefined)
  }
  expect(await finished(panel, runId, 120_000)).toBe('ok')
  const [record] = await runRecords(browser)
  const { agentId } = JSON.parse(String(record!.result)) as { agentId: string }
  await panel.close()

  const page = await browser.context.newPage()
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(`${web.url}agents/${agentId}`)
  await expect
    .poll(() => page.locator('#wallet-proof').textContent(), { timeout: 30_000 })
    .toBe('✓ AgentWalletSet signature by the contract (ERC-1271) verified in this browser.')
  const wallet = page.getByRole('row', { name: /^Agent wallet/ }).getByRole('cell')
  expect((await wallet.textContent())?.toLowerCase()).toBe(account.toLowerCase())
  await page.screenshot({ path: join(SCREENSHOTS, 'agent-erc1271-proof-1280.png'), fullPage: true })
  await page.close()
}, 360_000)

test('a withdrawal from the Seed wallet’s own chain, initiated on the bridge page and sent by the wallet', async () => {
  const account = await walletAccount()
  const funder = createWalletClient({ chain, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
  await l1.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account, value: parseEther('0.5') }) })
  // Batching creates the wallet's inbox and registers its bridge config (the test build funds nobody at genesis).
  const own = await walletBatching()
  expect(await getBridgeConfig(l1, { inbox: own.inbox })).not.toBeNull()

  const page = await browser.context.newPage()
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(`${web.url}bridge`)
  await connectIfAsked(page)
  // The chain picker: the wallet's chain by its inbox.
  await page.locator('details.chain-picker > summary').click()
  await page.getByRole('textbox', { name: 'Or an inbox address or chain id' }).fill(own.inbox)
  await page.getByRole('button', { name: 'Show chain' }).click()
  await expect.poll(() => page.locator('details.chain-picker > summary').textContent()).toMatch(`Chain ${own.chainId}`)

  // The rollup account's ETH: a deposit from the page, sent by the wallet on L1, credited on its chain.
  await page.getByRole('textbox', { name: 'Recipient on L2' }).fill(own.account)
  await page.getByRole('textbox', { name: 'Amount (ETH)' }).fill('0.05')
  const depositWindow = nextApprovalWindow(browser.context)
  await page.getByRole('button', { name: 'Deposit' }).click()
  await (await depositWindow).getByRole('button', { name: 'Approve' }).click()
  await expect
    .poll(() => page.locator('#deposit-progress').textContent(), { timeout: 90_000 })
    .toMatch(/^✓ Deposited in L1 block #\d+/)
  // The devnet mines on demand; the wallet's node takes an L1 block as origin once 2 blocks follow it.
  const ext = await openPopup(browser)
  const mining = mineEverySecond()
  try {
    await expect
      .poll(async () => BigInt(await l2Request(ext, 'eth_getBalance', [own.account, 'latest'])), { timeout: 90_000 })
      .toBeGreaterThanOrEqual(parseEther('0.05'))
  } finally {
    mining.stop()
  }
  await ext.close()

  // Withdraw: the page asks the wallet onto this chain (one window), then to send (another window).
  await page.getByRole('textbox', { name: 'Amount to withdraw (ETH)' }).fill('0.01')
  const switchWindow = nextApprovalWindow(browser.context)
  await page.getByRole('button', { name: 'Withdraw', exact: true }).click()
  const switching = await switchWindow
  const sendWindow = nextApprovalWindow(browser.context)
  await switching.getByRole('button', { name: 'Approve' }).click()
  await expect
    .poll(() => page.locator('#withdraw-progress').textContent(), { timeout: 30_000 })
    .toContain('approve the withdrawal there')
  const send = await sendWindow
  await send.getByText('initiateWithdrawal').first().waitFor()
  await send.getByRole('button', { name: 'Approve' }).click()
  await expect
    .poll(() => page.locator('#withdraw-progress').textContent(), { timeout: 90_000 })
    .toMatch(/^✓ Withdrawal initiated in L2 block #\d+/)

  // The withdrawal list reads the chain through the wallet now on it: the rollup account's 0.01 ETH to the
  // smart account, initiated, then covered by an output the wallet's batcher posts.
  const item = page.locator('ul.withdrawals > li').first()
  await expect
    .poll(() => item.locator('p').textContent(), { timeout: 30_000 })
    .toContain(`0.01 ETH from ${short(own.account)} to ${short(account)}`)
  const steps = item.getByRole('list', { name: /^Withdrawal 0x/ }).locator('li')
  expect(await steps.first().textContent()).toMatch(/^done: Initiated on L2 · block #\d+$/)
  await expect
    .poll(() => steps.nth(1).textContent(), { timeout: 180_000, interval: 2_000 })
    .toMatch(/^done: Output posted · batch #\d+$/)
  await page.screenshot({ path: join(SCREENSHOTS, 'bridge-withdrawal-own-chain-1280.png'), fullPage: true })
  await page.close()
}, 360_000)

/** The wallet's account, created by the first test of this file or here when it runs alone. */
let created: Address | undefined
async function walletAccount() {
  created ??= await createWallet(browser, 'correct horse battery')
  return created
}

/** Starts the wallet's batcher unless an earlier test did; returns its own chain (inbox, chain id, rollup account). */
async function walletBatching() {
  const rollup = await openPopup(browser, '/rollup')
  const start = rollup.getByRole('button', { name: 'Start batching to L1' })
  const inbox = rollup.getByText('Inbox', { exact: true })
  await Promise.race([start.waitFor({ timeout: 30_000 }), inbox.waitFor({ timeout: 30_000 })])
  if (await start.isVisible()) await start.click()
  await inbox.waitFor({ timeout: 90_000 })
  await rollup.close()
  return agentRollup(browser)
}

/** Connects the page's origin to the wallet unless an earlier test already did. */
async function connectIfAsked(page: Page) {
  const connect = page.getByRole('button', { name: 'Connect the Seed wallet' })
  const connected = page.locator('#wallet-balance')
  await Promise.race([connect.waitFor({ timeout: 30_000 }), connected.waitFor({ timeout: 30_000 })])
  if (!(await connect.isVisible())) return
  const approval = nextApprovalWindow(browser.context)
  await connect.click()
  await (await approval).getByRole('button', { name: 'Approve' }).click()
  await connected.waitFor({ timeout: 30_000 })
}

/** One empty L1 block a second (the clock the portal reads follows real time; no timestamp is pushed). */
function mineEverySecond() {
  const timer = setInterval(
    () => void l1.request({ method: 'evm_mine' as never, params: [] as never }).catch(() => {}),
    1_000,
  )
  return { stop: () => clearInterval(timer) }
}

const withoutHash = ({ withdrawalHash: _, ...withdrawal }: { withdrawalHash: Hex } & Withdrawal) => withdrawal

const short = (hex: string, keep = 10) => `${hex.slice(0, keep)}…${hex.slice(-4)}`
