/**
 * ERC-7715 execution permissions, as a dApp and its user see them (headless Chromium + the built
 * extension + the devnet L1 and its bundler): a page asks with viem's `erc7715Actions` (unmodified)
 * for a native-token and an ERC-20 periodic allowance; the person approves once in the popup; the
 * page sends within the allowance without being asked again, and past it the account's own code
 * refuses the op at the EntryPoint (the reason reaches the page); revoked, the session is gone
 * on-chain. Attacks: another site's context, a forged context, an expired grant.
 */
import type { Server } from 'node:http'
import { SeedAccountAbi } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  decodeAbiParameters,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  type Hex,
  http,
  parseEther,
  toHex,
} from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import type { Dapp } from './dapp/dapp.ts'
import type { Grants } from './dapp/grants-dapp.ts'
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
} from './harness.ts'

const manifest = inject('manifest')
const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const user = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
const usd = manifest.contracts.usd
const HOUR = 3600

declare global {
  interface Window {
    dapp: Dapp
    grants: Grants
  }
}

let browser: Browser & { extensionId: string }
const servers: Server[] = []
let site: Page
let otherSite: Page
let account: Address

async function openSite(url: string) {
  const page = await browser.context.newPage()
  await page.goto(url)
  await page.waitForFunction(() => window.dapp.wallets().length > 0)
  return page
}

async function connect(page: Page) {
  const connected = await approveNextRequest(browser.context, () => page.evaluate(() => window.dapp.connect()))
  expect(connected).toEqual({ ok: true, value: [account] })
}

const shop = () =>
  `0x${crypto.getRandomValues(new Uint8Array(20)).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '')}` as Address
const inAnHour = () => Math.floor(Date.now() / 1000) + HOUR

/** viem's grantPermissions for a native-token periodic allowance that may pay `targets`. */
const nativePeriodic = (periodAmount: bigint, targets: Address[], expiry = inAnHour()) => ({
  expiry,
  permissions: [
    {
      type: { custom: 'native-token-periodic' },
      data: { periodAmount: toHex(periodAmount), periodDuration: HOUR, targets, justification: 'Tips for the shop' },
      policies: [],
    },
  ],
})

const erc20Periodic = (periodAmount: bigint) => ({
  expiry: inAnHour(),
  permissions: [
    {
      type: { custom: 'erc20-token-periodic' },
      data: { tokenAddress: usd, periodAmount: toHex(periodAmount), periodDuration: HOUR },
      policies: [],
    },
  ],
})

type Granted = { permissionsContext: Hex; expiry: number; grantedPermissions: unknown[] }

/** Requests through viem's erc7715Actions and approves in the popup like the person would. */
async function grant(page: Page, parameters: unknown, name?: string): Promise<Granted> {
  const result = await approveNextRequest(
    browser.context,
    () => page.evaluate((p) => window.grants.grantPermissions(p as never), parameters),
    name,
  )
  expect(result).toMatchObject({ ok: true })
  return (result as { value: Granted }).value
}

const sendUnder = (page: Page, context: Hex, calls: { to: Address; value?: string; data?: Hex }[]) =>
  page.evaluate(([a, c, ctx]) => window.grants.sendCallsWithPermission(a as Address, c as never, ctx as Hex), [
    account,
    calls,
    context,
  ] as const)

/** Sends under the grant and waits for the bundle to land, as the dApp would. */
async function sendAndWait(page: Page, context: Hex, calls: { to: Address; value?: string; data?: Hex }[]) {
  const sent = await sendUnder(page, context, calls)
  expect(sent).toMatchObject({ ok: true, value: { id: expect.any(String) } })
  const status = await page.evaluate(
    (id) => window.grants.waitForCallsStatus(id),
    (sent as { value: { id: string } }).value.id,
  )
  expect(status).toMatchObject({ ok: true, value: { status: 'success' } })
}

/** The on-chain session of a context (abi.encode(account, sessionKey)): id 0 = none. */
async function sessionOf(context: Hex) {
  const [owner, key] = decodeAbiParameters([{ type: 'address' }, { type: 'address' }], context)
  const [id] = await l1.readContract({ address: owner, abi: SeedAccountAbi, functionName: 'sessions', args: [key] })
  return { key, id }
}

const usdTransfer = (to: Address, amount: bigint) =>
  encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] })
const usdBalance = (address: Address) =>
  l1.readContract({ address: usd, abi: erc20Abi, functionName: 'balanceOf', args: [address] })

beforeAll(async () => {
  browser = await launchWithExtension(await buildForTest(manifest))
  const [first, second] = await Promise.all([
    serveDapp({ entry: 'grants-dapp.ts' }),
    serveDapp({ entry: 'grants-dapp.ts' }),
  ])
  servers.push(first.server, second.server)
  account = await createWallet(browser, 'correct horse battery')
  await l1.waitForTransactionReceipt({ hash: await user.sendTransaction({ to: account, value: parseEther('2') }) })
  const funded = await user.writeContract({
    address: usd,
    abi: erc20Abi,
    functionName: 'transfer',
    args: [account, 50_000_000n],
  })
  await l1.waitForTransactionReceipt({ hash: funded })
  site = await openSite(first.url)
  otherSite = await openSite(second.url)
  await connect(site)
})

afterAll(async () => {
  await browser?.close()
  for (const server of servers) server.close()
})

describe('ERC-7715 execution permissions', () => {
  test('an unconnected site gets 4100; bad requests get -32602 saying why', async () => {
    const unconnected = await otherSite.evaluate(
      (p) => window.grants.grantPermissions(p as never),
      nativePeriodic(1n, [shop()]),
    )
    expect(unconnected).toMatchObject({ ok: false, code: 4100 })
    const bad = async (parameters: unknown) =>
      site.evaluate((p) => window.grants.grantPermissions(p as never), parameters)
    expect(
      await bad({
        ...nativePeriodic(1n, [shop()]),
        permissions: [{ type: 'erc721-token-transfer', data: {}, policies: [] }],
      }),
    ).toMatchObject({
      ok: false,
      code: -32602,
      details: expect.stringContaining('Seed grants native-token-periodic, erc20-token-periodic'),
    })
    expect(await bad({ ...nativePeriodic(1n, [shop()]), expiry: Date.now() + 60_000 })).toMatchObject({
      ok: false,
      code: -32602,
      details: expect.stringContaining('not milliseconds'),
    })
    const noTargets = nativePeriodic(1n, [])
    expect(await bad(noTargets)).toMatchObject({ ok: false, code: -32602, details: expect.stringContaining('targets') })
    expect(
      await bad({ ...nativePeriodic(1n, [shop()]), signer: { type: 'account', data: { id: shop() } } }),
    ).toMatchObject({ ok: false, code: -32602, details: expect.stringContaining('wallet-managed') })
    const draft = await site.evaluate(() =>
      window.dapp.request('wallet_requestExecutionPermissions', [
        { chainId: '0x1', permission: { type: 'native-token-periodic', isAdjustmentAllowed: false, data: {} } },
      ] as never),
    )
    expect(draft).toMatchObject({ ok: false, code: -32602 })
  })

  test('the wallet advertises what it grants: wallet_getCapabilities and wallet_getSupportedExecutionPermissions', async () => {
    const chainId = toHex(manifest.l1.chainId)
    const capabilities = await site.evaluate(
      (a) => window.dapp.request('wallet_getCapabilities', [a] as never),
      account,
    )
    expect(capabilities).toMatchObject({
      ok: true,
      value: {
        [chainId]: {
          permissions: {
            supported: true,
            signerTypes: ['wallet'],
            permissionTypes: [
              'native-token-periodic',
              'erc20-token-periodic',
              'native-token-allowance',
              'erc20-token-allowance',
            ],
            ruleTypes: ['expiry'],
          },
        },
      },
    })
    const supported = await site.evaluate(() => window.dapp.request('wallet_getSupportedExecutionPermissions'))
    expect(supported).toEqual({
      ok: true,
      value: {
        'native-token-periodic': { chainIds: [chainId], ruleTypes: ['expiry'] },
        'erc20-token-periodic': { chainIds: [chainId], ruleTypes: ['expiry'] },
        'native-token-allowance': { chainIds: [chainId], ruleTypes: ['expiry'] },
        'erc20-token-allowance': { chainIds: [chainId], ruleTypes: ['expiry'] },
      },
    })
  })

  test('native-token periodic: approved once, used within the allowance, refused past it on-chain, revoked in the popup', async () => {
    const tips = shop()
    const granted = await grant(site, nativePeriodic(parseEther('0.01'), [tips]), 'erc7715-native-approval')
    expect(granted.permissionsContext).toMatch(/^0x[0-9a-f]+$/)
    expect(granted.grantedPermissions).toHaveLength(1)
    const session = await sessionOf(granted.permissionsContext)
    expect(session.id).toBeGreaterThan(0n)

    // Within the allowance: no window, the page's calls land through the bundler.
    await sendAndWait(site, granted.permissionsContext, [{ to: tips, value: parseEther('0.006').toString() }])
    expect(await l1.getBalance({ address: tips })).toBe(parseEther('0.006'))

    // Past it (0.012 of 0.01 this hour): the account's code refuses at the EntryPoint, the page hears why.
    const over = await sendUnder(site, granted.permissionsContext, [
      { to: tips, value: parseEther('0.006').toString() },
    ])
    // The numbers are the account's: its rolling window's spend with this op, and the grant's limit.
    expect(over).toMatchObject({
      ok: false,
      code: -32003,
      details: expect.stringContaining('ValueLimitExceeded(12000000000000000, 10000000000000000)'),
    })
    expect(await l1.getBalance({ address: tips })).toBe(parseEther('0.006'))

    // A target outside the grant fails the account's validation.
    const elsewhere = await sendUnder(site, granted.permissionsContext, [{ to: shop(), value: '1' }])
    expect(elsewhere).toMatchObject({ ok: false, code: -32003 })

    // The person sees the refusal, with the account's reason, in the activity list.
    const activity = await openPopup(browser, '/activity')
    await activity
      .getByText(/Refused on-chain by the account under this grant: ValueLimitExceeded/)
      .first()
      .waitFor()
    await activity.close()

    // Revoked in the popup's permissions list: the session is gone on-chain and the page is refused.
    const popup = await openPopup(browser, '/sites')
    await popup.setViewportSize({ width: 380, height: 760 })
    const row = popup.locator('.grant-row', { hasText: '0.01 ETH' })
    await row.getByRole('button', { name: 'Revoke' }).click()
    await row.locator('.grant-status', { hasText: 'revoked' }).waitFor({ timeout: 60_000 })
    await screenshot(popup, 'erc7715-permissions-list')
    await popup.close()
    expect((await sessionOf(granted.permissionsContext)).id).toBe(0n)
    const afterRevoke = await sendUnder(site, granted.permissionsContext, [{ to: tips, value: '1' }])
    expect(afterRevoke).toMatchObject({ ok: false, code: 4100 })
  })

  test('ERC-20 periodic: transfers within the allowance land, past it the token limit refuses; the page revokes it', async () => {
    const merchant = shop()
    const granted = await grant(site, erc20Periodic(5_000_000n))
    await sendAndWait(site, granted.permissionsContext, [{ to: usd, data: usdTransfer(merchant, 3_000_000n) }])
    expect(await usdBalance(merchant)).toBe(3_000_000n)
    const over = await sendUnder(site, granted.permissionsContext, [
      { to: usd, data: usdTransfer(merchant, 3_000_000n) },
    ])
    expect(over).toMatchObject({
      ok: false,
      code: -32003,
      details: expect.stringContaining(`TokenLimitExceeded(${getAddress(usd)}, 6000000, 5000000)`),
    })
    expect(await usdBalance(merchant)).toBe(3_000_000n)

    const revoked = await site.evaluate(
      (context) => window.dapp.request('wallet_revokeExecutionPermission', [{ permissionContext: context }] as never),
      granted.permissionsContext,
    )
    expect(revoked).toEqual({ ok: true, value: {} })
    expect((await sessionOf(granted.permissionsContext)).id).toBe(0n)
  })

  describe('attacks', () => {
    let context: Hex
    const tips = shop()

    beforeAll(async () => {
      context = (await grant(site, nativePeriodic(parseEther('0.01'), [tips]))).permissionsContext
      await connect(otherSite)
    })

    test("another site using this site's context is refused at once (4100), with no window", async () => {
      const stolen = await refusedWithoutWindow(browser.context, "another site's send under this context", () =>
        sendUnder(otherSite, context, [{ to: tips, value: '1' }]),
      )
      expect(stolen).toMatchObject({
        ok: false,
        code: 4100,
        details: expect.stringContaining('Unknown permission context'),
      })
      expect(await l1.getBalance({ address: tips })).toBe(0n)
      // Nor may it revoke it.
      const revoke = await otherSite.evaluate(
        (c) => window.dapp.request('wallet_revokeExecutionPermission', [{ permissionContext: c }] as never),
        context,
      )
      expect(revoke).toMatchObject({ ok: false, code: 4100 })
      expect((await sessionOf(context)).id).toBeGreaterThan(0n)
    })

    test('a forged context (another session key on this account) is refused', async () => {
      const forged = `${context.slice(0, -8)}deadbeef` as Hex
      const result = await sendUnder(site, forged, [{ to: tips, value: '1' }])
      expect(result).toMatchObject({
        ok: false,
        code: 4100,
        details: expect.stringContaining('Unknown permission context'),
      })
      expect(await l1.getBalance({ address: tips })).toBe(0n)
    })

    test('an expired grant is refused (wallet_requestExecutionPermissions, the draft shape)', async () => {
      const approval = nextApprovalWindow(browser.context)
      const expiresAt = Math.floor(Date.now() / 1000) + 20
      const requested = site.evaluate(
        ([chainId, target, timestamp]) =>
          window.dapp.request('wallet_requestExecutionPermissions', [
            {
              chainId,
              signer: { type: 'wallet', data: {} },
              permission: {
                type: 'native-token-periodic',
                isAdjustmentAllowed: false,
                data: { periodAmount: '0x2386f26fc10000', periodDuration: 3600, targets: [target] },
              },
              rules: [{ type: 'expiry', isAdjustmentAllowed: false, data: { timestamp } }],
            },
          ] as never),
        [toHex(manifest.l1.chainId), tips, expiresAt] as const,
      )
      const page = await approval
      await page.getByRole('heading', { name: 'Grant this site a spending allowance?' }).waitFor()
      await page.getByText('0.01 ETH every 1 hour').waitFor()
      await page.getByRole('button', { name: 'Approve' }).click()
      const result = (await requested) as { ok: true; value: { context: Hex; dependencyInfo: unknown[] }[] }
      expect(result).toMatchObject({ ok: true, value: [{ context: expect.any(String), dependencyInfo: [] }] })
      const expired = result.value[0]!.context
      await new Promise((r) => setTimeout(r, Math.max(0, expiresAt * 1000 - Date.now()) + 1_000))
      const late = await sendUnder(site, expired, [{ to: tips, value: '1' }])
      expect(late).toMatchObject({ ok: false, code: 4100, details: expect.stringContaining('expired') })
      expect(await l1.getBalance({ address: tips })).toBe(0n)
    })

    test("disconnecting the site in the popup ends its grants' sessions on-chain", async () => {
      const live = (await site.evaluate(() => window.dapp.request('wallet_getGrantedExecutionPermissions', []))) as {
        ok: true
        value: { context: Hex }[]
      }
      const contexts = live.value.map((g) => g.context)
      expect(contexts).toContain(context)
      const popup = await openPopup(browser, '/sites')
      const disconnect = popup.getByRole('button', { name: 'Disconnect' })
      const row = popup.locator('li', { hasText: new URL(site.url()).origin }).filter({ has: disconnect })
      await row.getByRole('button', { name: 'Disconnect' }).click()
      await row.waitFor({ state: 'detached' })
      await popup.close()
      for (const c of contexts) expect((await sessionOf(c)).id).toBe(0n)
    })
  })
})
