/**
 * The scripting console (side panel) in Chromium with the built extension and the devnet: a script
 * sends an L2 transaction through the wallet's action pipeline (approved in the window, like a
 * dApp's) and reports; a script over the policy's budget is refused with the reason; an infinite
 * loop and a memory bomb are stopped at their limits while the wallet keeps answering a dApp; a
 * base-fee trigger fires with the popup and the console closed, and still does after a browser restart.
 */
import type { Server } from 'node:http'
import { type Browser, launchChromium } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import { type Address, createTestClient, http, parseEther, parseGwei } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { fundUsdOnStackRollup, sellOnStackRollup, usdOnStackRollup } from './agent-harness.ts'
import { approvalPage, finished, openConsole, runRecords, startScript, typeScript } from './console-harness.ts'
import {
  agentRollup,
  approveNextRequest,
  buildForTest,
  createWallet,
  launchWithExtension,
  screenshot,
  serveDapp,
  setPolicy,
} from './harness.ts'
import { fundOnRollup, rollupRpc, switchToRollup } from './rollup-dapp.ts'

const manifest = inject('manifest')
const PASSWORD = 'correct horse battery'
const RECIPIENT = '0x00000000000000000000000000000000000c0501' as Address

let browser: Browser & { extensionId: string }
let extensionPath: string
let dappServer: Server
let dapp: Page
let panel: Page
let rollupAccount: Address
let profileToRemove: string | undefined

beforeAll(async () => {
  extensionPath = await buildForTest(manifest, { devRollupAccounts: true })
  browser = await launchWithExtension(extensionPath)
  let dappUrl: string
  ;({ url: dappUrl, server: dappServer } = await serveDapp())
  await createWallet(browser, PASSWORD)
  dapp = await browser.context.newPage()
  await dapp.goto(dappUrl)
  await dapp.waitForFunction(() => window.dapp.wallets().length > 0)
  await approveNextRequest(browser.context, () => dapp.evaluate(() => window.dapp.connect()))
  const rollup = await agentRollup(browser)
  rollupAccount = await switchToRollup(dapp, browser.context, rollup.chainId)
  await fundOnRollup(dapp, rollupAccount, parseEther('1'))
  panel = await openConsole(browser)
})

afterAll(async () => {
  // The base-fee trigger test raises the devnet's L1 base fee to 120 gwei; the devnet is shared with
  // the files that run after this one, whose sends are priced (and budgeted) at ~1 gwei.
  await setNextBaseFee(createTestClient({ mode: 'anvil', transport: http(manifest.l1.rpcUrl) }), '1')
  await browser?.close()
  dappServer?.close()
  if (profileToRemove)
    await import('node:fs').then((fs) => fs.rmSync(profileToRemove!, { recursive: true, force: true }))
})

/** A dApp request answered while `runId` is still running: the wallet stays responsive. */
async function dappAnsweredDuringRun(runId: string) {
  const answer = await dapp.evaluate(() => window.dapp.request('eth_blockNumber'))
  expect(answer).toMatchObject({ ok: true, value: expect.stringMatching(/^0x/) })
  expect(await panel.locator(`[data-run-id="${runId}"]`).getAttribute('data-status')).toBe('running')
}

describe('Seed extension: scripting console', () => {
  test('a script sends an L2 transaction through the approval window and reports it', async () => {
    const source = `const { rollupAccount } = await wallet.addresses()
log('from', rollupAccount)
const sent = await rollup.send({ to: '${RECIPIENT}', value: '0x2386f26fc10000' })
log('sent', sent.hash)
const status = await rollup.status()
return { hash: sent.hash, head: status.head }`
    const runId = await startScript(panel, source)
    const window = await approvalPage(browser.context)
    await window.getByRole('button', { name: 'Approve' }).waitFor()
    await expect.poll(() => window.locator('body').textContent()).toContain('script:')
    await window.getByRole('button', { name: 'Approve' }).click()
    expect(await finished(panel, runId)).toBe('ok')
    const logs = await panel.getByTestId('log-entry').allTextContents()
    expect(logs[0]).toContain(`from ${rollupAccount}`)
    expect(logs[1]).toMatch(/sent 0x[0-9a-f]{64}/)
    expect(await panel.getByTestId('run-result').textContent()).toMatch(/"hash": "0x[0-9a-f]{64}"/)
    expect(await rollupRpc(dapp)('eth_getBalance', [RECIPIENT, 'latest'])).toBe('0x2386f26fc10000')
    await screenshot(panel, 'console-l2-send')
  })

  test('a script pays an x402 resource (the signature approved in the window) and reports the receipt', async () => {
    const price = 10_000n // 0.01 USDS
    const payTo = '0x00000000000000000000000000000000000c0402' as Address
    await fundUsdOnStackRollup(manifest, rollupAccount, 1_000_000n)
    const seller = await sellOnStackRollup(manifest, payTo, price)
    try {
      const before = await usdOnStackRollup(manifest, payTo)
      const runId = await startScript(
        panel,
        `const answer = await x402.fetch('${seller.url}')
log('status', answer.status, answer.body)
log('paid', answer.payment?.amount, 'on', answer.payment?.network)
return answer.payment`,
      )
      const window = await approvalPage(browser.context)
      await window.getByRole('button', { name: 'Approve' }).click()
      expect(await finished(panel, runId)).toBe('ok')
      const logs = await panel.getByTestId('log-entry').allTextContents()
      expect(logs[0]).toContain('status 200 {"quote":42}')
      expect(logs[1]).toContain(`paid ${price} on eip155:${manifest.rollup.chainId}`)
      expect((await usdOnStackRollup(manifest, payTo)) - before).toBe(price)
    } finally {
      await seller.close()
    }
  })

  test('a script over its budget is refused with the reason, and no window opens', async () => {
    const policy = await setPolicy(browser, (p) => p.getByLabel('Max ETH per transaction').fill('0.001'))
    await policy.close()
    let windows = 0
    const countWindows = () => windows++
    browser.context.on('page', countWindows)
    const runId = await startScript(panel, `await rollup.send({ to: '${RECIPIENT}', value: '0x2386f26fc10000' })`)
    expect(await finished(panel, runId)).toBe('error')
    browser.context.off('page', countWindows)
    expect(windows).toBe(0)
    expect(await panel.getByTestId('run-error').textContent()).toMatch(
      /Blocked by the wallet's policy: Spends 10000000000000000 wei, per-action cap is 1000000000000000/,
    )
    const restore = await setPolicy(browser, (p) => p.getByLabel('Max ETH per transaction').fill('1'))
    await restore.close()
  })

  test('an infinite loop is stopped at its CPU deadline while the wallet answers a dApp', async () => {
    const runId = await startScript(panel, `log('spinning'); while (true) {}`, { cpuMs: 3000 })
    await dappAnsweredDuringRun(runId)
    expect(await finished(panel, runId)).toBe('killed')
    expect(await panel.getByTestId('run-error').textContent()).toBe('Stopped: the script used its 3000 ms of CPU time')
    const [record] = await runRecords(browser)
    expect(record).toMatchObject({ id: runId, status: 'killed', killed: { reason: 'cpu' } })
  })

  test('a memory bomb is stopped at its memory limit while the wallet answers a dApp', async () => {
    const runId = await startScript(
      panel,
      `const keep = []
while (true) { keep.push(new Array(4096).fill(keep.length)); if (keep.length % 64 === 0) await sleep(1) }`,
      { cpuMs: 60_000, memoryMiB: 64 },
    )
    await dappAnsweredDuringRun(runId)
    expect(await finished(panel, runId)).toBe('killed')
    expect(await panel.getByTestId('run-error').textContent()).toBe(
      'Stopped: the script went over its memory limit (64 MiB)',
    )
    const [record] = await runRecords(browser)
    expect(record).toMatchObject({ id: runId, status: 'killed', killed: { reason: 'memory' } })
    await screenshot(panel, 'console-killed')
  })

  test('Stop ends a waiting script at once', async () => {
    const runId = await startScript(panel, `log('waiting'); await sleep(600000)`)
    await panel.getByTestId('log-entry').filter({ hasText: 'waiting' }).waitFor()
    await panel.getByTestId('stop-script').click()
    expect(await finished(panel, runId, 5_000)).toBe('stopped')
  })

  test('a base-fee trigger runs its saved script with the popup and console closed, also after a browser restart', async () => {
    const l1 = createTestClient({ mode: 'anvil', transport: http(manifest.l1.rpcUrl) })
    await typeScript(
      panel,
      `log('L1 base fee is up:', trigger.event.baseFeeGwei, 'gwei')\nreturn trigger.event.baseFeeGwei`,
    )
    await panel.getByTestId('script-name').fill('fee watcher')
    await panel.getByTestId('save-script').click()
    await panel.getByTestId('triggers').waitFor()
    await panel.getByTestId('trigger-kind').selectOption('baseFee')
    await panel.getByTestId('trigger-amount').fill('50')
    await panel.getByTestId('add-trigger').click()
    await panel.getByTestId('trigger').filter({ hasText: 'L1 base fee above 50 gwei' }).waitFor()
    await panel.getByTestId('trigger-kind').selectOption('schedule')
    await panel.getByTestId('trigger-amount').fill('30')
    await panel.getByTestId('add-trigger').click()
    await panel.getByTestId('trigger').filter({ hasText: 'every 30 min' }).waitFor()
    await panel.close()
    for (const page of browser.context.pages()) if (page.url().includes('popup.html')) await page.close()

    const feeRuns = async () =>
      (await runRecords(browser)).filter((r) => r.trigger.kind === 'event' && r.trigger.event.topic === 'baseFee')
    // Below the threshold: nothing fires.
    await l1.mine({ blocks: 1 })
    await new Promise((r) => setTimeout(r, 2_000))
    expect(await feeRuns()).toEqual([])
    await l1.request({
      method: 'anvil_setNextBlockBaseFeePerGas' as never,
      params: [`0x${parseGwei('100').toString(16)}`] as never,
    })
    await l1.mine({ blocks: 1 })
    await expect.poll(async () => (await feeRuns())[0]?.status, { timeout: 30_000 }).toBe('ok')
    const [fired] = await feeRuns()
    expect(fired!.result).toBe('100')
    expect(fired!.logs[0]!.values).toEqual(['L1 base fee is up:', '100', 'gwei'])

    // Back below the threshold, then a browser restart: the trigger is still stored, its schedule
    // re-armed, and the next rise fires it again.
    await setNextBaseFee(l1, '1')
    const userDataDir = browser.userDataDir
    await browser.close({ keepProfile: true })
    profileToRemove = userDataDir
    browser = (await launchChromium({ extensionPath, userDataDir })) as typeof browser
    const worker = browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'))
    await expect
      .poll(async () => (await worker.evaluate(() => chrome.alarms.getAll())).map((a) => a.name).join(), {
        timeout: 15_000,
      })
      .toMatch(/trigger:/)
    await new Promise((r) => setTimeout(r, 3_000)) // the offscreen document reopens and starts watching
    await setNextBaseFee(l1, '120')
    await expect
      .poll(async () => (await feeRuns()).find((r) => r.result === '120')?.status, { timeout: 30_000 })
      .toBe('ok')

    panel = await openConsole(browser)
    await panel.getByTestId('saved-scripts').selectOption({ label: 'fee watcher' })
    const feeTrigger = panel.getByTestId('trigger').filter({ hasText: 'L1 base fee above 50 gwei' })
    await expect.poll(() => feeTrigger.getByTestId('trigger-last-runs').textContent()).toMatch(/ok \(on baseFee\)/)
    await screenshot(panel, 'console-triggers')
  })
})

/** The next L1 block's base fee (anvil), and that block mined. */
async function setNextBaseFee(l1: ReturnType<typeof createTestClient>, gwei: string) {
  await l1.request({
    method: 'anvil_setNextBlockBaseFeePerGas' as never,
    params: [`0x${parseGwei(gwei).toString(16)}`] as never,
  })
  await l1.mine({ blocks: 1 })
}
