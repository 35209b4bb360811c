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
  // Each transaction opens its own page, which links back to its block.
  await page.locator('table.grid tbody tr a').first().click()
  await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('L1 transaction')
  expect(await page.locator('tr', { hasText: 'Status' }).locator('td').textContent()).toBe('success')
  await page.locator('tr', { hasText: 'Block' }).locator('a').click()
  await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('L1 block #1')
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

test('a malformed block number or an unknown page shows "Not found" inside the layout, not a crash', async () => {
  const page = await browser.context.newPage()
  for (const path of ['l1/abc', 'rollup/-1', 'l1/0x10', 'l1/tx/0x12', 'no/such/page']) {
    await page.goto(`${web.url}${path}`)
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('Not found')
    expect(await page.locator('nav a', { hasText: 'Rollup explorer' }).count()).toBe(1) // the layout's nav is there
  }
})

test('a block past the head says so with the head; an empty block says it has no transactions', async () => {
  const page = await browser.context.newPage()
  await page.goto(`${web.url}l1/99999999`)
  await expect
    .poll(() => page.locator('p.error').textContent(), { timeout: 15_000 })
    .toMatch(/^Block #99999999 does not exist yet: this chain's head is #\d+\.$/)
  await page.goto(`${web.url}l1/0`)
  await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('L1 block #0')
  expect(await page.getByText('No transactions in this block.').count()).toBe(1)
})
