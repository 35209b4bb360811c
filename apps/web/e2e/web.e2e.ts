import { launchChromium } from '@seed/testkit/chromium'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { startWebApp } from '../server.ts'

const manifest = inject('manifest')
let web: Awaited<ReturnType<typeof startWebApp>>
let browser: Awaited<ReturnType<typeof launchChromium>>

beforeAll(async () => {
  web = await startWebApp(manifest)
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await web?.close()
})

test('the stack page shows the live L1 head and a healthy bundler from the manifest', async () => {
  const page = await browser.context.newPage()
  await page.goto(web.url)
  const head = page.locator('tr', { hasText: 'L1 head' })
  await expect.poll(() => head.textContent(), { timeout: 15_000 }).toMatch(/#\d+ · \d+ txs/)
  await expect.poll(() => page.locator('tr', { hasText: 'Bundler' }).locator('.dot.ok').count()).toBe(1)
  expect(await page.locator('code', { hasText: manifest.contracts.entryPointV07 }).count()).toBe(1)
})

test('the L1 explorer lists blocks and opens one with its transactions', async () => {
  const page = await browser.context.newPage()
  await page.goto(`${web.url}l1`)
  const firstLink = page.locator('table.grid tbody tr a').first()
  await firstLink.waitFor({ timeout: 15_000 })
  // Block #1 holds the first EntryPoint deployment through the CREATE2 deployer.
  await page.goto(`${web.url}l1/1`)
  await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('L1 block #1')
  expect(await page.locator('table.grid tbody tr').count()).toBeGreaterThanOrEqual(1)
})

test("the rollup explorer shows the stack's rollup node status and its blocks", async () => {
  const page = await browser.context.newPage()
  await page.goto(`${web.url}rollup`)
  const rpcRow = page.locator('tr', { hasText: 'RPC' }).first()
  await expect.poll(() => rpcRow.textContent(), { timeout: 15_000 }).toContain(`chain ${manifest.rollup.chainId}`)
  const stateRoot = await page.locator('tr', { hasText: 'State root' }).locator('td').textContent()
  expect(stateRoot).toMatch(/^0x[0-9a-f]{64}$/)
  await page.locator('table.grid tbody tr a', { hasText: '#0' }).click()
  await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('Rollup block #0')
})
