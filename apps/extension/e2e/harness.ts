/**
 * E2E harness: the extension built against the test devnet, Chromium with it loaded, the test dApp
 * on 127.0.0.1, and helpers to drive the approval window like a user.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Manifest } from '@seed/devnet'
import { type Browser, launchChromium } from '@seed/testkit/chromium'
import { build } from 'esbuild'
import type { BrowserContext, Page } from 'playwright-core'
import type { Address } from 'viem'
import { buildExtension, EXTENSION_ROOT } from '../scripts/build.ts'

export const SCREENSHOTS = join(EXTENSION_ROOT, 'test-results')

/**
 * `devRollupAccounts`: the explicit dev flag (decision 0402) that funds the devnet's public dev
 * accounts in the agent's rollup genesis, for tests that sign rollup txs outside the wallet.
 *
 * Within a test run (SEED_TEST_TMP) a build is made once per (manifest, flag) and shared by the
 * files that ask for the same one: the sources don't change during a run, and a WXT build per file
 * was minutes of CI. Each file still gets a fresh browser profile; Chrome doesn't write to an
 * unpacked extension's folder.
 */
export async function buildForTest(manifest: Manifest, { devRollupAccounts = false } = {}): Promise<string> {
  const runDir = process.env.SEED_TEST_TMP
  if (!runDir) return buildInto(mkdtempSync(join(tmpdir(), 'seed-ext-')), manifest, devRollupAccounts)
  const key = createHash('sha256').update(JSON.stringify({ manifest, devRollupAccounts })).digest('hex').slice(0, 16)
  const shared = join(runDir, `seed-ext-${key}`)
  const extensionPath = join(shared, 'out', 'chrome-mv3')
  if (existsSync(shared)) return extensionPath
  // Built aside and renamed into place, so a concurrent run (benchmarks) never loads a half-written one.
  const aside = mkdtempSync(join(runDir, 'seed-ext-'))
  await buildInto(aside, manifest, devRollupAccounts)
  try {
    renameSync(aside, shared)
  } catch (error) {
    if (!existsSync(shared)) throw error
    rmSync(aside, { recursive: true, force: true }) // another process finished the same build first
  }
  return extensionPath
}

function buildInto(dir: string, manifest: Manifest, devRollupAccounts: boolean): Promise<string> {
  const manifestPath = join(dir, 'devnet.json')
  writeFileSync(manifestPath, JSON.stringify(manifest))
  return buildExtension({ manifestPath, outDir: join(dir, 'out'), devRollupAccounts })
}

/** The agent's own rollup as its wallet records it (decision 0402): chain id, rollup account, inbox. */
export async function agentRollup(browser: Browser): Promise<{ chainId: number; account: Address; inbox: Address }> {
  const popup = await openPopup(browser)
  const reply = (await popup.evaluate(() =>
    chrome.runtime.sendMessage({ seed: 1, to: 'background', type: 'ui:state' }),
  )) as { result: { account: { rollupAccount: Address; rollup: { chainId: number; inbox: Address } } } }
  await popup.close()
  const { rollupAccount, rollup } = reply.result.account
  return { chainId: rollup.chainId, account: rollupAccount, inbox: rollup.inbox }
}

/**
 * Serves the dApp page and its esbuild bundle on 127.0.0.1 (a fresh port = a fresh origin);
 * `entry` is the script under e2e/dapp/ the page runs (it may import dapp.ts and add to it).
 */
export async function serveDapp({ entry = 'dapp.ts' } = {}): Promise<{ url: string; server: Server }> {
  const bundle = await build({
    entryPoints: [join(EXTENSION_ROOT, 'e2e', 'dapp', entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
  })
  const js = bundle.outputFiles[0]!.text
  const html = readFileSync(join(EXTENSION_ROOT, 'e2e', 'dapp', 'index.html'), 'utf8')
  const server = createServer((req, res) => {
    if (req.url === '/dapp.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
    else res.writeHead(200, { 'content-type': 'text/html' }).end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }
}

export async function launchWithExtension(extensionPath: string): Promise<Browser & { extensionId: string }> {
  const browser = await launchChromium({ extensionPath })
  return browser as Browser & { extensionId: string }
}

export async function openPopup(browser: Browser, hash = '/'): Promise<Page> {
  const page = await browser.context.newPage()
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html#${hash}`)
  return page
}

/** Changes the policy in the settings screen like a user; returns the popup, still open on it. */
export async function setPolicy(browser: Browser & { extensionId: string }, change: (popup: Page) => Promise<void>) {
  const popup = await openPopup(browser, '/settings')
  await popup.setViewportSize({ width: 380, height: 760 })
  await popup.getByRole('button', { name: 'Save policy' }).waitFor()
  await change(popup)
  await popup.getByRole('button', { name: 'Save policy' }).click()
  await popup.getByText('Saved.').waitFor()
  return popup
}

/** Waits for the approval window the background opens for the next request. */
export function nextApprovalWindow(context: BrowserContext): Promise<Page> {
  return context.waitForEvent('page', {
    predicate: (page) => page.url().includes('/popup.html#/approve/'),
    timeout: 30_000,
  })
}

/** Runs a dApp call that opens an approval window, and approves it like a user. */
export async function approveNextRequest(context: BrowserContext, run: () => Promise<unknown>, name?: string) {
  const approval = nextApprovalWindow(context)
  const result = run()
  const page = await approval
  await page.setViewportSize({ width: 400, height: 640 })
  await page.getByRole('button', { name: 'Approve' }).waitFor()
  if (name) await screenshot(page, name)
  await page.getByRole('button', { name: 'Approve' }).click()
  return result
}

/** Onboards through the popup (create + password) and returns the smart account address it shows. */
export async function createWallet(browser: Browser, password: string, { screenshots = false } = {}): Promise<Address> {
  const popup = await openPopup(browser)
  await popup.setViewportSize({ width: 380, height: 600 })
  await popup.getByRole('heading', { name: 'Welcome to Seed' }).waitFor()
  await popup.getByLabel('Password', { exact: true }).fill(password)
  await popup.getByLabel('Confirm password').fill(password)
  if (screenshots) await screenshot(popup, 'onboarding')
  await popup.getByRole('button', { name: 'Create wallet' }).click()
  await popup.getByText('Smart account · L1 devnet').waitFor()
  const account = (await popup.locator('.address code').first().textContent()) as Address
  if (screenshots) await screenshot(popup, 'home')
  await popup.close()
  return account
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** Stops the extension's service worker like Chrome does after idling (CDP ServiceWorker domain). */
export async function stopServiceWorkers(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('ServiceWorker.enable')
  await cdp.send('ServiceWorker.stopAllWorkers')
  await cdp.detach()
}

/**
 * Fires one of the extension's alarms now instead of waiting out its period (Chrome lets an
 * unpacked extension's alarms fire sooner than the 30 s minimum); the period is kept. The same
 * `onAlarm` listener runs as on a real tick: the test only stops waiting for the clock.
 */
export async function fireAlarmNow(page: Page, name: string) {
  const fired = await page.evaluate(async (alarmName) => {
    const alarm = await chrome.alarms.get(alarmName)
    if (!alarm) return false
    await chrome.alarms.create(alarmName, { when: Date.now(), periodInMinutes: alarm.periodInMinutes })
    return true
  }, name)
  if (!fired) throw new Error(`the extension has no alarm named ${name}`)
}

/** What the test dApp's `request` answers: the value, or the EIP-1193 error. */
export type PageOutcome = { ok: true; value: unknown } | { ok: false; code: number; message: string; details?: string }

/**
 * A dApp request that the wallet must refuse at once: the page's answer, or a failure if an approval
 * window opened for it instead (the window is rejected so the next test starts clean).
 */
export function refusedAtOnce(
  context: BrowserContext,
  dapp: Page,
  method: string,
  params: unknown[],
): Promise<PageOutcome> {
  type TestDapp = { dapp: { request(method: string, params: unknown[]): Promise<PageOutcome> } }
  return refusedWithoutWindow(context, method, () =>
    dapp.evaluate(
      ([m, p]) => (window as unknown as TestDapp).dapp.request(m as string, p as unknown[]),
      [method, params],
    ),
  )
}

/**
 * `request`'s answer, or a failure naming `what` if an approval window opened while it ran (rejected, so the
 * next test starts clean). Watches for the window itself: counting the context's pages before and after
 * also counts a window of an earlier step that closes meanwhile.
 */
export async function refusedWithoutWindow<T>(
  context: BrowserContext,
  what: string,
  request: () => Promise<T>,
): Promise<T> {
  let onPage: (page: Page) => void = () => {}
  const windowOpened = new Promise<{ window: Page }>((resolve) => {
    onPage = (page) => {
      if (page.url().includes('/approve/')) resolve({ window: page })
    }
    context.on('page', onPage)
  })
  try {
    const outcome = request().then((answer) => ({ answer }))
    const first = await Promise.race([outcome, windowOpened])
    if ('window' in first) {
      await first.window.getByRole('button', { name: 'Reject' }).click()
      await outcome
      throw new Error(`${what} opened an approval window instead of being refused`)
    }
    return first.answer
  } finally {
    context.off('page', onPage)
  }
}
