/**
 * A new user's first minutes (issue 16, decision 0432), all in the popup: a new wallet lands on
 * "Fund your agent"; "Start batching" with nothing in the account points back there instead of the
 * bundler's raw error; the devnet faucet funds the smart account, the balance updates on its own,
 * and "Start batching" then creates the agent's inbox on L1. A web page in the same browser cannot
 * use the faucet.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { RollupInboxFactoryAbi } from '@seed/contracts'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import { type Address, createPublicClient, http, parseEther, zeroAddress } from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { buildForTest, launchWithExtension, openPopup, screenshot } from './harness.ts'

const manifest = inject('manifest')
const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const PASSWORD = 'correct horse battery'

let browser: Awaited<ReturnType<typeof launchWithExtension>>
let popup: Page
let smartAccount: Address
let pageServer: Server

beforeAll(async () => {
  browser = await launchWithExtension(await buildForTest(manifest))
  pageServer = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>a web page</p>'))
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve))
})

afterAll(async () => {
  await browser?.close()
  pageServer?.close()
})

const stepBadge = (id: string) => popup.locator(`[data-step="${id}"] .badge`)

describe('Fund your agent', () => {
  test('a new wallet lands on the Fund screen: both addresses with QR codes, zero balances, what each step needs', async () => {
    popup = await openPopup(browser)
    await popup.setViewportSize({ width: 380, height: 900 })
    await popup.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await popup.getByLabel('Confirm password').fill(PASSWORD)
    await popup.getByRole('button', { name: 'Create wallet' }).click()
    await popup.getByRole('heading', { name: 'Fund your agent' }).waitFor()
    smartAccount = (await popup.locator('.address code').first().textContent()) as Address
    expect(await l1.getBalance({ address: smartAccount })).toBe(0n)
    await expect.poll(() => popup.locator('[data-balance="l1"]').textContent()).toBe('0')
    expect(await popup.locator('img.qr').count()).toBe(2)
    expect(await popup.locator('img.qr').first().getAttribute('alt')).toBe(
      `QR code of ethereum:${smartAccount}@${manifest.l1.chainId}`,
    )
    // Computed from the bundler's live fee: above the batcher's 0.05 ETH, and a user op costs something.
    await expect.poll(() => stepBadge('startBatching').textContent(), { timeout: 30_000 }).toMatch(/^needs ≥ /)
    const need = Number((await stepBadge('startBatching').textContent())!.replace(/[^\d.]/g, ''))
    expect(need).toBeGreaterThan(0.05)
    expect(await stepBadge('firstUserOp').textContent()).toMatch(/^needs ≥ 0\.\d+ ETH$/)
    await popup.getByText(/rollup bridge exists/).waitFor()
    await screenshot(popup, 'fund-new-wallet')
  })

  test('"Start batching" with an empty account points to the Fund screen, not the bundler\'s raw error', async () => {
    await popup.getByRole('link', { name: 'Rollup' }).click()
    await popup.getByRole('button', { name: 'Start batching to L1' }).click()
    await popup.getByText(/Fund your agent first: starting batching needs at least/).waitFor()
    expect(await popup.getByText(/does not have sufficient funds/i).count()).toBe(0)
    await popup.getByRole('link', { name: 'Fund your agent' }).click()
    await popup.getByRole('heading', { name: 'Fund your agent' }).waitFor()
  })

  test('a web page in the same browser cannot get a drip from the faucet', async () => {
    const page = await browser.context.newPage()
    await page.goto(`http://127.0.0.1:${(pageServer.address() as AddressInfo).port}/`)
    const thief = privateKeyToAddress(generatePrivateKey())
    const outcome = await page.evaluate(
      async ({ faucet, address }) => {
        const body = JSON.stringify({ address })
        const json = await fetch(`${faucet}/drip`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        })
          .then((r) => `answered ${r.status}`)
          .catch(() => 'blocked')
        // A "simple" request goes out without a preflight: only the server can refuse it.
        const simple = await fetch(`${faucet}/drip`, { method: 'POST', mode: 'no-cors', body })
          .then((r) => r.type)
          .catch(() => 'blocked')
        return { json, simple }
      },
      { faucet: manifest.services.faucet!, address: thief },
    )
    expect(outcome).toEqual({ json: 'blocked', simple: 'opaque' })
    await page.close()
    expect(await l1.getBalance({ address: thief })).toBe(0n)
  })

  test('"Get devnet ETH" funds the smart account, the balance updates by itself, then "Start batching" succeeds', async () => {
    await popup.getByRole('button', { name: 'Get devnet ETH' }).click()
    await popup.getByText('Received 1 ETH and 100 USDS.').waitFor({ timeout: 60_000 })
    expect(await l1.getBalance({ address: smartAccount })).toBe(parseEther('1'))
    await expect.poll(() => popup.locator('[data-balance="l1"]').textContent()).toBe('1.000000')
    await expect.poll(() => stepBadge('startBatching').textContent()).toMatch(/^ready ≥ /)
    await screenshot(popup, 'fund-funded')

    // Asking again at once is refused by the faucet, and the popup says why.
    await popup.getByRole('button', { name: 'Get devnet ETH' }).click()
    await popup.getByText(/funded a moment ago.*Try again in \d+ s/).waitFor()

    await popup.getByRole('link', { name: 'Start batching →' }).click()
    await popup.getByRole('button', { name: 'Start batching to L1' }).click()
    await popup.getByText('Inbox', { exact: true }).waitFor({ timeout: 120_000 })
    const inbox = await l1.readContract({
      address: manifest.contracts.rollupInboxFactory,
      abi: RollupInboxFactoryAbi,
      functionName: 'inboxOf',
      args: [smartAccount],
    })
    expect(inbox).not.toBe(zeroAddress)

    await popup.getByRole('link', { name: 'Wallet' }).click()
    await popup.getByRole('link', { name: 'Fund your agent' }).click()
    await expect.poll(() => stepBadge('startBatching').textContent()).toBe('done')
    await expect.poll(() => stepBadge('firstUserOp').textContent()).toBe('done')
  })
})
