/**
 * The wallet as a dApp and its user see it: headless Chromium with the built extension, the test
 * dApp on 127.0.0.1, the real devnet (anvil + alto) from the global setup.
 */
import type { Server } from 'node:http'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  erc20Abi,
  type Hex,
  http,
  parseEther,
} from 'viem'
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
  stopServiceWorkers,
} from './harness.ts'

const manifest = inject('manifest')
const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const PASSWORD = 'correct horse battery'

let browser: Browser & { extensionId: string }
let dappServer: Server
let otherServer: Server
let dappUrl: string
let otherUrl: string
let dapp: Page
let account: Address

declare global {
  interface Window {
    dapp: Dapp
  }
}

beforeAll(async () => {
  browser = await launchWithExtension(await buildForTest(manifest))
  ;({ url: dappUrl, server: dappServer } = await serveDapp())
  ;({ url: otherUrl, server: otherServer } = await serveDapp())
})

afterAll(async () => {
  await browser?.close()
  dappServer?.close()
  otherServer?.close()
})

const approveNext = (run: () => Promise<unknown>, name?: string) => approveNextRequest(browser.context, run, name)

describe('Seed extension', () => {
  test('onboarding creates an encrypted vault and shows the smart account', async () => {
    account = await createWallet(browser, PASSWORD, { screenshots: true })
    expect(account).toMatch(/^0x[0-9a-fA-F]{40}$/)
    expect(await l1.getBalance({ address: account })).toBe(0n)

    // The smart account pays its own gas: fund it from a devnet account.
    const funder = createWalletClient({
      chain: foundry,
      transport: http(manifest.l1.rpcUrl),
      account: devAccount('user'),
    })
    await l1.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account, value: parseEther('2') }) })
  })

  test('a dApp finds Seed through EIP-6963 and sees the L1 chain id', async () => {
    dapp = await browser.context.newPage()
    await dapp.goto(dappUrl)
    await dapp.waitForFunction(() => window.dapp.wallets().length > 0)
    const wallets = await dapp.evaluate(() => window.dapp.wallets())
    expect(wallets).toEqual([
      expect.objectContaining({ name: 'Seed', rdns: 'dev.seed.wallet', icon: expect.stringMatching(/^data:image\//) }),
    ])
    expect(await dapp.evaluate(() => window.dapp.chainId())).toEqual({ ok: true, value: manifest.l1.chainId })
  })

  test('an origin without permission sees no account and gets 4100', async () => {
    expect(await dapp.evaluate(() => window.dapp.request('eth_accounts'))).toEqual({ ok: true, value: [] })
    const sign = await dapp.evaluate((a) => window.dapp.request('personal_sign', ['0x68690a', a]), account)
    expect(sign).toMatchObject({ ok: false, code: 4100 })
    // Reads too: an unconnected page learns nothing through the wallet (security-rpc.e2e.ts has them all).
    expect(await dapp.evaluate(() => window.dapp.request('eth_blockNumber'))).toMatchObject({ ok: false, code: 4100 })
  })

  test('connecting asks the user; the approved origin gets the smart account, others still do not', async () => {
    const accounts = await approveNext(() => dapp.evaluate(() => window.dapp.connect()), 'approval-connect')
    expect(accounts).toEqual({ ok: true, value: [account] })
    expect(await dapp.evaluate(() => window.dapp.events())).toContainEqual({
      event: 'accountsChanged',
      data: [account],
    })
    const permissions = await dapp.evaluate(() => window.dapp.request('wallet_getPermissions'))
    expect(permissions).toMatchObject({ ok: true, value: [{ parentCapability: 'eth_accounts' }] })
    const block = await dapp.evaluate(() => window.dapp.request('eth_blockNumber'))
    expect(block).toEqual({ ok: true, value: expect.stringMatching(/^0x/) })
    const unknown = await dapp.evaluate(() => window.dapp.request('eth_coinbaseFlip'))
    expect(unknown).toMatchObject({ ok: false, code: 4200 })
    const bad = await dapp.evaluate(() => window.dapp.request('wallet_switchEthereumChain', [{ chainId: 'nope' }]))
    expect(bad).toMatchObject({ ok: false, code: -32602 })

    const other = await browser.context.newPage()
    await other.goto(otherUrl)
    await other.waitForFunction(() => window.dapp.wallets().length > 0)
    expect(await other.evaluate(() => window.dapp.request('eth_accounts'))).toEqual({ ok: true, value: [] })
    const send = await other.evaluate((a) => window.dapp.sendTransaction(a, a, '0x1'), account)
    expect(send).toMatchObject({ ok: false, code: 4100 })
    await other.close()
  })

  test('personal_sign from the counterfactual smart account verifies on-chain through ERC-6492', async () => {
    expect(await l1.getCode({ address: account })).toBeUndefined()
    const message = 'Sign in to the Seed test dApp'
    const signed = (await approveNext(
      () => dapp.evaluate(([a, m]) => window.dapp.signMessage(a as Address, m as string), [account, message]),
      'approval-sign',
    )) as { ok: boolean; value: Hex }
    expect(signed).toMatchObject({ ok: true, value: expect.stringMatching(/^0x/) })
    expect(await l1.verifyMessage({ address: account, message, signature: signed.value })).toBe(true)
    expect(await l1.verifyMessage({ address: account, message: `${message}!`, signature: signed.value })).toBe(false)
  })

  test('eth_signTypedData_v4 from the smart account verifies on-chain', async () => {
    const typedData = {
      domain: { name: 'Seed test dApp', version: '1', chainId: manifest.l1.chainId },
      types: {
        // No spender/amount/value field: typed data that looks value-moving is refused by default (decision 0423).
        Order: [
          { name: 'item', type: 'string' },
          { name: 'quantity', type: 'uint256' },
        ],
      },
      primaryType: 'Order',
      message: { item: 'compute', quantity: '42' },
    } as const
    const signed = (await approveNext(() =>
      dapp.evaluate(([a, t]) => window.dapp.signTypedData(a as Address, t as never), [account, typedData] as const),
    )) as { ok: boolean; value: Hex }
    expect(signed).toMatchObject({ ok: true })
    const verify = (amount: bigint) =>
      l1.verifyTypedData({
        address: account,
        ...typedData,
        message: { item: 'compute', quantity: amount },
        signature: signed.value,
      })
    expect(await verify(42n)).toBe(true)
    expect(await verify(43n)).toBe(false)
  })

  test('the user rejects a transaction: the dApp gets 4001', async () => {
    const approval = nextApprovalWindow(browser.context)
    const result = dapp.evaluate(
      ([a]) => window.dapp.sendTransaction(a, '0x000000000000000000000000000000000000dEaD', '0x1'),
      [account] as const,
    )
    const page = await approval
    await page.getByRole('button', { name: 'Reject' }).click()
    expect(await result).toMatchObject({ ok: false, code: 4001 })
  })

  test('an L1 transaction approved in the extension is sent as a user op, even if the service worker dies mid-flow', async () => {
    const recipient = '0x00000000000000000000000000000000000beef1' as Address
    const approval = nextApprovalWindow(browser.context)
    const sent = dapp.evaluate(
      ([a, to]) => window.dapp.sendTransaction(a as Address, to as Address, '0x16345785d8a0000'),
      [account, recipient],
    )
    const page = await approval
    await page.setViewportSize({ width: 400, height: 640 })
    await page.getByRole('button', { name: 'Approve' }).waitFor()
    await expect.poll(() => page.locator('.pos, .neg').allTextContents()).toEqual(['-0.1'])
    await screenshot(page, 'approval-transaction')
    // Chrome may stop the worker at any time; the pending request lives in chrome.storage.
    const boots = (on: Page) => on.evaluate(async () => (await chrome.storage.session.get('swBoots')).swBoots as number)
    const bootsBefore = await boots(page)
    await stopServiceWorkers(page)
    await page.getByRole('button', { name: 'Approve' }).click()
    const result = await sent
    if (!result.ok) console.error(result)
    expect(result).toMatchObject({ ok: true, value: expect.stringMatching(/^0x[0-9a-f]{64}$/) })
    const receipt = await l1.waitForTransactionReceipt({ hash: (result as { value: Hex }).value })
    expect(receipt.status).toBe('success')
    expect(await l1.getBalance({ address: recipient })).toBe(parseEther('0.1'))
    const popup = await openPopup(browser)
    expect(await boots(popup)).toBeGreaterThan(bootsBefore)
    await popup.close()
  })

  test('an ERC-20 transfer is decoded on the approval screen with its simulated balance change', async () => {
    const usd = manifest.contracts.usd
    const funder = createWalletClient({
      chain: foundry,
      transport: http(manifest.l1.rpcUrl),
      account: devAccount('user'),
    })
    await l1.waitForTransactionReceipt({
      hash: await funder.writeContract({
        address: usd,
        abi: erc20Abi,
        functionName: 'transfer',
        args: [account, 5_000_000n],
      }),
    })
    const recipient = '0x00000000000000000000000000000000000beef6' as Address
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [recipient, 1_500_000n] })
    const approval = nextApprovalWindow(browser.context)
    const sent = dapp.evaluate(([from, to, data]) => window.dapp.request('eth_sendTransaction', [{ from, to, data }]), [
      account,
      usd,
      data,
    ] as const)
    const page = await approval
    await page.setViewportSize({ width: 400, height: 640 })
    await page.getByText('Seed USD (USDS) · transfer').waitFor()
    await expect.poll(() => page.locator('.list li').allTextContents()).toContainEqual('USDS-1.5')
    await screenshot(page, 'approval-erc20')
    await page.getByRole('button', { name: 'Approve' }).click()
    const result = (await sent) as { ok: boolean; value: Hex }
    expect(result).toMatchObject({ ok: true })
    await l1.waitForTransactionReceipt({ hash: result.value })
    expect(await l1.readContract({ address: usd, abi: erc20Abi, functionName: 'balanceOf', args: [recipient] })).toBe(
      1_500_000n,
    )
  })

  test('EIP-5792: wallet_sendCalls sends a batch as one user op; getCallsStatus reports it', async () => {
    const chainId = `0x${manifest.l1.chainId.toString(16)}`
    const caps = await dapp.evaluate((a) => window.dapp.request('wallet_getCapabilities', [a]), account)
    // Atomic batches, and the ERC-7715 grants the wallet can install (console-erc7715.e2e.ts).
    expect(caps).toMatchObject({
      ok: true,
      value: { [chainId]: { atomic: { status: 'supported' }, permissions: { permissionTypes: expect.any(Array) } } },
    })
    const to = ['0x00000000000000000000000000000000000beef2', '0x00000000000000000000000000000000000beef3']
    const sent = (await approveNext(() =>
      dapp.evaluate(
        ([from, chainId, to]) =>
          window.dapp.request('wallet_sendCalls', [
            { version: '2.0.0', from, chainId, atomicRequired: true, calls: to.map((t) => ({ to: t, value: '0x2' })) },
          ]),
        [account, chainId, to] as const,
      ),
    )) as { ok: true; value: { id: string } }
    expect(sent).toMatchObject({ ok: true, value: { id: expect.stringMatching(/^0x/) } })
    const status = await dapp.evaluate((id) => window.dapp.request('wallet_getCallsStatus', [id]), sent.value.id)
    expect(status).toMatchObject({ ok: true, value: { status: 200, atomic: true, receipts: [{ status: '0x1' }] } })
    for (const address of to) expect(await l1.getBalance({ address: address as Address })).toBe(2n)
  })

  test('switching to a chain the wallet does not know gives 4902', async () => {
    expect(await dapp.evaluate(() => window.dapp.switchChain(999_999))).toMatchObject({ ok: false, code: 4902 })
  })

  test('the policy kill switch refuses a send at once with the reason (4100); no window opens', async () => {
    const popup = await openPopup(browser, '/settings')
    await popup.setViewportSize({ width: 380, height: 760 })
    await popup.getByLabel('Kill switch').check()
    await popup.getByRole('button', { name: 'Save policy' }).click()
    await popup.getByText('Saved.').waitFor()
    await screenshot(popup, 'policy')

    const accounts = (await dapp.evaluate(() => window.dapp.request('eth_accounts'))) as { value: Address[] }
    const result = await refusedWithoutWindow(browser.context, 'a send with the kill switch on', () =>
      dapp.evaluate(
        ([a]) => window.dapp.sendTransaction(a as Address, '0x00000000000000000000000000000000000beef5', '0x1'),
        [accounts.value[0]],
      ),
    )
    expect(result).toMatchObject({ ok: false, code: 4100, details: expect.stringMatching(/Kill switch on/) })

    await popup.getByLabel('Kill switch').uncheck()
    await popup.getByRole('button', { name: 'Save policy' }).click()
    await popup.getByText('Saved.').waitFor()
    await popup.close()
  })

  test('locking hides the account from sites (accountsChanged []); unlocking brings it back', async () => {
    const popup = await openPopup(browser, '/settings')
    await popup.getByRole('button', { name: 'Lock now' }).click()
    await popup.getByRole('heading', { name: 'Unlock' }).waitFor()
    expect(await dapp.evaluate(() => window.dapp.request('eth_accounts'))).toEqual({ ok: true, value: [] })
    await expect
      .poll(() => dapp.evaluate(() => window.dapp.events().at(-1)))
      .toEqual({ event: 'accountsChanged', data: [] })
    await popup.getByLabel('Password').fill('wrong password!')
    await popup.getByRole('button', { name: 'Unlock' }).click()
    await popup.getByText('Wrong password').waitFor()
    await popup.getByLabel('Password').fill(PASSWORD)
    await popup.getByRole('button', { name: 'Unlock' }).click()
    await popup.getByRole('button', { name: 'Lock now' }).waitFor()
    const accounts = (await dapp.evaluate(() => window.dapp.request('eth_accounts'))) as { value: Address[] }
    expect(accounts.value).toHaveLength(1)
    await popup.close()
  })

  test('the popup lists the connected site and the user op', async () => {
    const popup = await openPopup(browser, '/activity')
    await popup.setViewportSize({ width: 380, height: 600 })
    await popup.getByText('User op').first().waitFor()
    await screenshot(popup, 'activity')
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html#/sites`)
    await popup.getByText(new URL(dappUrl).origin).waitFor()
    await popup.close()
  })
})
