/**
 * The wallet's guards as a dApp and its user see them (headless Chromium + the built extension +
 * the devnet): the policy on signatures (EIP-2612 permits are spends), auto-lock after idle,
 * EIP-1193 disconnect/connect when a chain's RPC goes away, and a service worker killed after the
 * user approved, while the user op is in flight.
 */
import type { Server } from 'node:http'
import { createServer } from 'node:net'
import { SeedUSDAbi } from '@seed/contracts'
import { devAccount, startAnvil } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import { type Address, createPublicClient, createWalletClient, erc20Abi, type Hex, http, parseEther } from 'viem'
import { entryPoint07Abi, entryPoint07Address } from 'viem/account-abstraction'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import type { Dapp } from './dapp/dapp.ts'
import {
  approveNextRequest,
  buildForTest,
  createWallet,
  launchWithExtension,
  nextApprovalWindow,
  openPopup,
  refusedWithoutWindow,
  screenshot,
  serveDapp,
  setPolicy as setPolicyAs,
  stopServiceWorkers,
} from './harness.ts'

const manifest = inject('manifest')
const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const user = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
const PASSWORD = 'correct horse battery'
const usd = manifest.contracts.usd

let browser: Browser & { extensionId: string }
let dappServer: Server
let dapp: Page
let account: Address

declare global {
  interface Window {
    dapp: Dapp
  }
}

beforeAll(async () => {
  browser = await launchWithExtension(await buildForTest(manifest))
  const served = await serveDapp()
  dappServer = served.server
  account = await createWallet(browser, PASSWORD)
  await l1.waitForTransactionReceipt({ hash: await user.sendTransaction({ to: account, value: parseEther('2') }) })
  const funded = await user.writeContract({
    address: usd,
    abi: erc20Abi,
    functionName: 'transfer',
    args: [account, 50_000_000n],
  })
  await l1.waitForTransactionReceipt({ hash: funded })
  dapp = await browser.context.newPage()
  await dapp.goto(served.url)
  await dapp.waitForFunction(() => window.dapp.wallets().length > 0)
  const connected = await approveNextRequest(browser.context, () => dapp.evaluate(() => window.dapp.connect()))
  expect(connected).toEqual({ ok: true, value: [account] })
})

afterAll(async () => {
  await l1.request({ method: 'evm_setAutomine', params: [true] } as never).catch(() => {})
  await browser?.close()
  dappServer?.close()
})

const sessionRecord = (page: Page, id: string) =>
  page.evaluate(async (key) => (await chrome.storage.session.get(key))[key] as Record<string, unknown>, `request:${id}`)
const swBoots = (page: Page) =>
  page.evaluate(async () => (await chrome.storage.session.get('swBoots')).swBoots as number)

const permit = (value: bigint, nonce: bigint, deadline: bigint) => ({
  domain: { name: 'Seed USD', version: '2', chainId: manifest.l1.chainId, verifyingContract: usd },
  types: {
    Permit: [
      { name: 'owner', type: 'address' },
      { name: 'spender', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'nonce', type: 'uint256' },
      { name: 'deadline', type: 'uint256' },
    ],
  },
  primaryType: 'Permit' as const,
  message: { owner: account, spender: user.account.address, value, nonce, deadline },
})

const signPermit = (typedData: ReturnType<typeof permit>) =>
  dapp.evaluate(([a, t]) => window.dapp.signTypedData(a as Address, t as never), [
    account,
    JSON.parse(JSON.stringify(typedData, (_, v) => (typeof v === 'bigint' ? v.toString() : v))),
  ] as const)

const setPolicy = (change: (popup: Page) => Promise<void>) => setPolicyAs(browser, change)

describe('Seed extension guards', () => {
  test('the service worker is killed after approval while the user op is in flight: the dApp gets its hash once', async () => {
    const recipient = '0x00000000000000000000000000000000000beea1' as Address
    // Hold the bundle in anvil's mempool so the worker dies between submission and receipt.
    await l1.request({ method: 'evm_setAutomine', params: [false] } as never)
    const approval = nextApprovalWindow(browser.context)
    const sent = dapp.evaluate(
      ([a, to]) => window.dapp.sendTransaction(a as Address, to as Address, '0x16345785d8a0000'),
      [account, recipient],
    )
    const page = await approval
    const id = decodeURIComponent(page.url().split('/approve/')[1]!)
    await page.getByRole('button', { name: 'Approve' }).click()
    await expect
      .poll(async () => (await sessionRecord(page, id))?.execution, { timeout: 30_000 })
      .toMatchObject({ kind: 'userOp', submitted: true })
    const { userOpHash } = (await sessionRecord(page, id)).execution as { userOpHash: Hex }
    const bootsBefore = await swBoots(page)
    await stopServiceWorkers(page)
    await new Promise((r) => setTimeout(r, 500))
    await l1.request({ method: 'evm_setAutomine', params: [true] } as never)
    await l1.request({ method: 'evm_mine', params: [] } as never)

    const result = (await sent) as { ok: boolean; value: Hex }
    expect(result).toMatchObject({ ok: true, value: expect.stringMatching(/^0x[0-9a-f]{64}$/) })
    const receipt = await l1.waitForTransactionReceipt({ hash: result.value })
    expect(receipt.status).toBe('success')
    const events = await l1.getContractEvents({
      address: entryPoint07Address,
      abi: entryPoint07Abi,
      eventName: 'UserOperationEvent',
      args: { sender: account },
      fromBlock: receipt.blockNumber - 5n,
    })
    // Exactly one op landed, the journaled one, in the transaction the dApp was given.
    expect(events.map((e) => [e.args.userOpHash, e.transactionHash])).toEqual([[userOpHash, result.value]])
    expect(await l1.getBalance({ address: recipient })).toBe(parseEther('0.1'))
    const popup = await openPopup(browser)
    expect(await swBoots(popup)).toBeGreaterThan(bootsBefore)
    expect(await sessionRecord(popup, id)).toMatchObject({ status: 'done', result: result.value })
    await popup.close()
  })

  test('a permit above the USDS cap is refused at once (4100, with the reason); nothing is signed', async () => {
    const popup = await setPolicy((p) => p.getByLabel('Max USDS per request').fill('5'))
    await popup.close()
    const nonce = await l1.readContract({ address: usd, abi: SeedUSDAbi, functionName: 'nonces', args: [account] })
    const refused = await refusedWithoutWindow(browser.context, 'a permit above the cap', () =>
      signPermit(permit(6_000_000n, nonce, 9_999_999_999n)),
    )
    expect(refused).toMatchObject({ ok: false, code: 4100 })
    expect((refused as { details: string }).details).toMatch(/Blocked by the wallet's policy: Spends 6000000 units of/)
    const activity = await openPopup(browser, '/activity')
    await activity
      .getByText(/Refused eth_signTypedData_v4: Blocked/)
      .first()
      .waitFor()
    await activity.close()
  })

  test('a permit within the cap shows its decoded typed data and verdict, is signed, and works on-chain (ERC-1271)', async () => {
    // SignatureChecker needs deployed code (ERC-1271): the first test's user op deployed the account.
    expect(await l1.getCode({ address: account })).toMatch(/^0x[0-9a-f]+$/)
    const nonce = await l1.readContract({ address: usd, abi: SeedUSDAbi, functionName: 'nonces', args: [account] })
    const typedData = permit(2_000_000n, nonce, 9_999_999_999n)
    const approval = nextApprovalWindow(browser.context)
    const signing = signPermit(typedData)
    const page = await approval
    await page.setViewportSize({ width: 400, height: 720 })
    await page.getByText('Permit · USDS token').waitFor()
    await page.getByText(`Lets ${user.account.address} spend up to 2 USDS`).waitFor()
    await page.getByText('Within policy').waitFor()
    await screenshot(page, 'approval-typed-data')
    await page.getByRole('button', { name: 'Approve' }).click()
    const signed = (await signing) as { ok: boolean; value: Hex }
    expect(signed).toMatchObject({ ok: true })
    expect(await l1.verifyTypedData({ address: account, ...typedData, signature: signed.value })).toBe(true)
    // The token checks it through SignatureChecker → the SeedAccount's ERC-1271.
    const hash = await user.writeContract({
      address: usd,
      abi: SeedUSDAbi,
      functionName: 'permit',
      args: [account, user.account.address, 2_000_000n, 9_999_999_999n, signed.value],
    })
    expect((await l1.waitForTransactionReceipt({ hash })).status).toBe('success')
    const allowance = await l1.readContract({
      address: usd,
      abi: erc20Abi,
      functionName: 'allowance',
      args: [account, user.account.address],
    })
    expect(allowance).toBe(2_000_000n)
    // The signed permit counts against the daily USDS budget like a send would.
    const settings = await openPopup(browser, '/settings')
    await settings
      .getByText(/the last 24 h: 0\.1 ETH, 2 USDS/)
      .waitFor({ timeout: 15_000 })
      .catch(async (error) => {
        throw new Error(`${error}\n${await settings.locator('body').textContent()}`)
      })
    await settings.close()
  })

  test('the kill switch refuses signatures at once, and blocks one whose window was already open', async () => {
    const approval = nextApprovalWindow(browser.context)
    const pending = dapp.evaluate((a) => window.dapp.signMessage(a as Address, 'before the kill switch'), account)
    const page = await approval
    await page.getByRole('button', { name: 'Approve' }).waitFor()
    const popup = await setPolicy((p) => p.getByLabel('Kill switch').check())

    const refused = await dapp.evaluate((a) => window.dapp.signMessage(a as Address, 'hello'), account)
    expect(refused).toMatchObject({ ok: false, code: 4100 })
    expect((refused as { details: string }).details).toMatch(/Kill switch on/)

    await page.reload()
    await page.setViewportSize({ width: 400, height: 640 })
    await page.getByText('Blocked by policy').waitFor()
    expect(await page.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true)
    await screenshot(page, 'approval-blocked')
    await page.getByRole('button', { name: 'Reject' }).click()
    expect(await pending).toMatchObject({ ok: false, code: 4001 })

    await popup.getByLabel('Kill switch').uncheck()
    await popup.getByRole('button', { name: 'Save policy' }).click()
    await popup.getByText('Saved.').waitFor()
    await popup.close()
  })

  test('auto-lock after idle: the popup asks to unlock, sites lose the account, a signature waits for unlock', async () => {
    const settings = await openPopup(browser, '/settings')
    await settings.getByLabel('Auto-lock after idle (minutes)').fill('0.1')
    await settings.getByRole('button', { name: 'Save auto-lock' }).click()
    await settings
      .getByText('Locks after 0.1 idle minutes.')
      .waitFor({ timeout: 15_000 })
      .catch(async (error) => {
        throw new Error(`${error}\n${await settings.locator('body').textContent()}`)
      })
    await settings.close()

    // The alarm locks the idle wallet and tells the site, without the site asking.
    await expect
      .poll(() => dapp.evaluate(() => window.dapp.events().at(-1)), { timeout: 45_000, interval: 500 })
      .toEqual({ event: 'accountsChanged', data: [] })
    expect(await dapp.evaluate(() => window.dapp.request('eth_accounts'))).toEqual({ ok: true, value: [] })
    const popup = await openPopup(browser)
    await popup.getByRole('heading', { name: 'Unlock' }).waitFor()
    await popup.close()

    // The dApp's request waits in the approval window, which asks for the password first.
    const approval = nextApprovalWindow(browser.context)
    const message = 'signed after unlocking'
    const signing = dapp.evaluate(([a, m]) => window.dapp.signMessage(a as Address, m as string), [account, message])
    const page = await approval
    await page.getByRole('heading', { name: 'Unlock' }).waitFor()
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.getByRole('button', { name: 'Approve' }).click()
    const signed = (await signing) as { ok: boolean; value: Hex }
    expect(signed).toMatchObject({ ok: true })
    expect(await l1.verifyMessage({ address: account, message, signature: signed.value })).toBe(true)

    const restore = await openPopup(browser, '/settings')
    const unlock = restore.getByRole('heading', { name: 'Unlock' })
    await unlock.or(restore.getByRole('button', { name: 'Save auto-lock' })).waitFor()
    if (await unlock.isVisible()) {
      await restore.getByLabel('Password').fill(PASSWORD)
      await restore.getByRole('button', { name: 'Unlock' }).click()
    }
    await restore.getByLabel('Auto-lock after idle (minutes)').fill('15')
    await restore.getByRole('button', { name: 'Save auto-lock' }).click()
    await restore.getByText('Locks after 15 idle minutes.').waitFor()
    await restore.close()
  })

  test('a chain whose RPC is unreachable: 4901 and disconnect; when it comes back, connect', async () => {
    const port = await closedPort()
    const chainId = 0x309
    // A chain the site adds is its own, after the user approved it (security-rpc.e2e.ts).
    const added = await approveNextRequest(browser.context, () =>
      dapp.evaluate(
        ([chainId, rpc]) =>
          window.dapp.request('wallet_addEthereumChain', [
            {
              chainId,
              chainName: 'Offline test chain',
              rpcUrls: [rpc],
              nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
            },
          ]),
        ['0x309', `http://127.0.0.1:${port}`] as const,
      ),
    )
    expect(added).toEqual({ ok: true, value: null })
    await expect
      .poll(() =>
        dapp.evaluate(() =>
          window.dapp
            .events()
            .filter((e) => e.event !== 'accountsChanged')
            .slice(-2),
        ),
      )
      .toEqual([
        { event: 'chainChanged', data: '0x309' },
        { event: 'disconnect', data: expect.objectContaining({ code: 4901 }) },
      ])
    expect(await dapp.evaluate(() => window.dapp.request('eth_blockNumber'))).toMatchObject({ ok: false, code: 4901 })
    expect(await dapp.evaluate(() => window.dapp.isConnected())).toBe(false)

    const anvil = await startAnvil({ port, chainId })
    try {
      await expect
        .poll(() => dapp.evaluate(() => window.dapp.events().at(-1)), { timeout: 15_000 })
        .toEqual({ event: 'connect', data: { chainId: '0x309' } })
      expect(await dapp.evaluate(() => window.dapp.isConnected())).toBe(true)
      expect(await dapp.evaluate(() => window.dapp.request('eth_blockNumber'))).toEqual({ ok: true, value: '0x0' })
      // Signing is for the devnet and the rollup only.
      const sign = await dapp.evaluate((a) => window.dapp.signMessage(a as Address, 'hi'), account)
      expect(sign).toMatchObject({ ok: false, code: 4200 })
    } finally {
      await anvil.service.stop()
    }
    const back = await dapp.evaluate((id) => window.dapp.switchChain(id), manifest.l1.chainId)
    expect(back).toMatchObject({ ok: true })
    expect(await dapp.evaluate(() => window.dapp.request('eth_blockNumber'))).toMatchObject({ ok: true })
  })
})

/** A port nothing listens on (taken from the OS, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
