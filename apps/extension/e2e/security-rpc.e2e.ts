/**
 * The page-facing guards, tried as a hostile page would on the real devnet with the real extension:
 * an unconnected page reaches neither the rollup nor L1 nor anyone's bundles, chains are switched
 * and added per origin and only with the user's approval, a page cannot fill the wallet's storage
 * with passed-through raw txs, and an approval window that failed takes no further click.
 */
import type { Server } from 'node:http'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import { type Address, createWalletClient, type Hex, http, numberToHex, parseEther } from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { l1ClientFor } from './batching-harness.ts'
import {
  agentRollup,
  approveNextRequest,
  buildForTest,
  createWallet,
  launchWithExtension,
  nextApprovalWindow,
  openPopup,
  serveDapp,
} from './harness.ts'
import { rollupRpc } from './rollup-dapp.ts'

const manifest = inject('manifest')
const l1 = l1ClientFor(manifest)
const PASSWORD = 'correct horse battery'
/** The wallet's per-origin bound on journaled raw txs (l2-resend.ts). */
const JOURNALED_SENDS = 64

let browser: Browser & { extensionId: string }
const servers: Server[] = []
let account: Address
let rollupChainId: number

async function openDapp(): Promise<Page> {
  const { url, server } = await serveDapp()
  servers.push(server)
  const page = await browser.context.newPage()
  await page.goto(url)
  await page.waitForFunction(() => window.dapp.wallets().length > 0)
  return page
}

async function connect(page: Page) {
  const connected = await approveNextRequest(browser.context, () => page.evaluate(() => window.dapp.connect()))
  expect(connected).toEqual({ ok: true, value: [account] })
}

const request = (page: Page, method: string, params?: unknown[]) =>
  page.evaluate(([m, p]) => window.dapp.request(m as string, p as unknown[] | undefined), [method, params] as const)

/** A rollup transfer signed by a dev key this dev-flag build's genesis funds: what any page can produce. */
async function signedRollupTransfer(nonce: number, gasPrice = 2_000_000_000n): Promise<Hex> {
  return devAccount('user').signTransaction({
    chainId: rollupChainId,
    type: 'eip1559',
    nonce,
    to: '0x00000000000000000000000000000000000beef5',
    value: 1n,
    gas: 21_000n,
    maxFeePerGas: gasPrice,
    maxPriorityFeePerGas: 0n,
  })
}

beforeAll(async () => {
  browser = await launchWithExtension(await buildForTest(manifest, { devRollupAccounts: true }))
  account = await createWallet(browser, PASSWORD)
  rollupChainId = (await agentRollup(browser)).chainId
})

afterAll(async () => {
  await browser?.close()
  for (const server of servers) server.close()
})

describe('security: the page-facing guards', () => {
  test('an unconnected page gets its chain id and nothing else: every read, raw tx and chain change is 4100', async () => {
    const page = await openDapp()
    expect(await request(page, 'eth_chainId')).toEqual({ ok: true, value: numberToHex(manifest.l1.chainId) })
    expect(await request(page, 'net_version')).toEqual({ ok: true, value: String(manifest.l1.chainId) })
    expect(await request(page, 'eth_accounts')).toEqual({ ok: true, value: [] })
    expect(await request(page, 'wallet_getPermissions')).toEqual({ ok: true, value: [] })

    const override = { [account]: { balance: '0xffffffffffffffff' } }
    const refused: [string, unknown[]][] = [
      ['eth_blockNumber', []],
      ['eth_getBlockByNumber', ['latest', false]],
      ['eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest' }]],
      ['eth_getBalance', [account, 'latest']],
      ['eth_call', [{ to: account, data: '0x' }, 'latest', override]],
      ['eth_sendRawTransaction', [await signedRollupTransfer(0)]],
      ['wallet_getCallsStatus', [`0x${'11'.repeat(32)}`]],
      ['wallet_getCapabilities', [account]],
      ['wallet_switchEthereumChain', [{ chainId: numberToHex(rollupChainId) }]],
      [
        'wallet_addEthereumChain',
        [{ chainId: '0x30a', chainName: 'Shadow', rpcUrls: ['http://127.0.0.1:1'], nativeCurrency: {} }],
      ],
    ]
    for (const [method, params] of refused) {
      expect({ method, answer: await request(page, method, params) }).toMatchObject({
        method,
        answer: { ok: false, code: 4100 },
      })
    }
    // The page is still on L1: the refused switch moved nothing.
    expect(await request(page, 'eth_chainId')).toEqual({ ok: true, value: numberToHex(manifest.l1.chainId) })
    await page.close()
  })

  test('switching a connected site to the rollup asks the user once; rejecting leaves it where it was', async () => {
    const page = await openDapp()
    await connect(page)
    const rollup = numberToHex(rollupChainId)

    const window1 = nextApprovalWindow(browser.context)
    const rejected = page.evaluate((id) => window.dapp.switchChain(id), rollupChainId)
    const approval = await window1
    await approval.getByRole('heading', { name: 'Let this site switch chains?' }).waitFor()
    await expect.poll(() => approval.locator('.facts').textContent()).toContain(String(rollupChainId))
    await approval.getByRole('button', { name: 'Reject' }).click()
    expect(await rejected).toMatchObject({ ok: false, code: 4001 })
    expect(await request(page, 'eth_chainId')).toEqual({ ok: true, value: numberToHex(manifest.l1.chainId) })

    const switched = await approveNextRequest(browser.context, () =>
      page.evaluate((id) => window.dapp.switchChain(id), rollupChainId),
    )
    expect(switched).toMatchObject({ ok: true })
    expect(await request(page, 'eth_chainId')).toEqual({ ok: true, value: rollup })

    // Granted now: back to L1 and to the rollup again without a window (a window would time the switch out).
    expect(await page.evaluate((id) => window.dapp.switchChain(id), manifest.l1.chainId)).toMatchObject({ ok: true })
    expect(await page.evaluate((id) => window.dapp.switchChain(id), rollupChainId)).toMatchObject({ ok: true })
    expect(await request(page, 'eth_chainId')).toEqual({ ok: true, value: rollup })
    await page.close()
  })

  test('a chain site A adds (after approval showing id, name and RPC) is not visible to site B', async () => {
    const siteA = await openDapp()
    const siteB = await openDapp()
    await connect(siteA)
    await connect(siteB)
    const added = { chainId: '0x30b', chainName: 'Site A chain', rpcUrls: [manifest.l1.rpcUrl], nativeCurrency: {} }

    const window1 = nextApprovalWindow(browser.context)
    const adding = request(siteA, 'wallet_addEthereumChain', [added])
    const approval = await window1
    await approval.getByRole('heading', { name: 'Let this site add a chain?' }).waitFor()
    const facts = await approval.locator('.card').filter({ hasText: 'Site A chain' }).textContent()
    expect(facts).toContain(String(0x30b))
    expect(facts).toContain(manifest.l1.rpcUrl)
    await approval.getByRole('button', { name: 'Approve' }).click()
    expect(await adding).toEqual({ ok: true, value: null })
    expect(await request(siteA, 'eth_chainId')).toEqual({ ok: true, value: '0x30b' })

    // B never added it: for B the chain does not exist, and B stays on L1.
    expect(await siteB.evaluate(() => window.dapp.switchChain(0x30b))).toMatchObject({ ok: false, code: 4902 })
    expect(await request(siteB, 'eth_chainId')).toEqual({ ok: true, value: numberToHex(manifest.l1.chainId) })
    await siteA.close()
    await siteB.close()
  })

  test("a page's passed-through raw rollup txs stop growing the wallet's storage at the per-origin bound", async () => {
    const page = await openDapp()
    await connect(page)
    await approveNextRequest(browser.context, () => page.evaluate((id) => window.dapp.switchChain(id), rollupChainId))
    const rpc = rollupRpc(page)
    const ext = await openPopup(browser)
    const bytesInUse = () => ext.evaluate(() => chrome.storage.local.getBytesInUse(null))
    let nonce = Number(await rpc('eth_getTransactionCount', [devAccount('user').address, 'pending']))
    const gasPrice = BigInt(await rpc('eth_gasPrice')) * 2n
    const send = async (count: number) => {
      for (let i = 0; i < count; i++)
        await rpc('eth_sendRawTransaction', [await signedRollupTransfer(nonce++, gasPrice)])
    }

    await send(JOURNALED_SENDS)
    const atBound = await bytesInUse()
    await send(JOURNALED_SENDS / 2)
    // Each journaled tx is ~350 bytes: 32 more unbounded would add ~11 KB.
    expect((await bytesInUse()) - atBound).toBeLessThan(1_000)
    // The node still took every one of them.
    const last = (await rpc('eth_getTransactionCount', [devAccount('user').address, 'pending'])) as Hex
    expect(Number(last)).toBe(nonce)
    await ext.close()
    await page.close()
  })

  test('the approval window of a send that failed shows why, takes no click, and closes', async () => {
    // The smart account holds nothing yet: the user op cannot pay for itself and the send fails.
    const page = await openDapp()
    await connect(page)
    const window1 = nextApprovalWindow(browser.context)
    const sending = page.evaluate((a) => window.dapp.sendTransaction(a, a, '0x0'), account)
    const approval = await window1
    const closed = approval.waitForEvent('close', { timeout: 60_000 })
    await approval.getByRole('button', { name: 'Approve' }).click()
    expect(await sending).toMatchObject({ ok: false })

    await approval
      .locator('.error')
      .filter({ hasText: /^Failed: / })
      .waitFor()
    // The window has nothing left to decide: no click on it can approve or reject anything.
    expect(await approval.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true)
    expect(await approval.getByRole('button', { name: 'Reject' }).isDisabled()).toBe(true)
    expect(await approval.getByRole('status').textContent()).toBe('This request failed.')
    await closed
    await page.close()
  })

  test("wallet_getCallsStatus answers only the origin that sent the bundle (others: 4100 or 'unknown')", async () => {
    const funder = createWalletClient({
      chain: foundry,
      transport: http(manifest.l1.rpcUrl),
      account: devAccount('user'),
    })
    await l1.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account, value: parseEther('1') }) })
    const owner = await openDapp()
    const connected = await openDapp()
    const stranger = await openDapp()
    await connect(owner)
    await connect(connected)
    const sent = (await approveNextRequest(browser.context, () =>
      request(owner, 'wallet_sendCalls', [
        {
          version: '2.0.0',
          chainId: numberToHex(manifest.l1.chainId),
          from: account,
          atomicRequired: true,
          calls: [{ to: '0x00000000000000000000000000000000000beef6', value: '0x1' }],
        },
      ]),
    )) as { ok: true; value: { id: Hex } }
    expect(sent).toMatchObject({ ok: true })
    const id = sent.value.id

    expect(await request(owner, 'wallet_getCallsStatus', [id])).toMatchObject({ ok: true, value: { status: 200 } })
    expect(await request(stranger, 'wallet_getCallsStatus', [id])).toMatchObject({ ok: false, code: 4100 })
    const unknown = await request(connected, 'wallet_getCallsStatus', [`0x${'22'.repeat(32)}`])
    expect(unknown).toMatchObject({ ok: false, code: 5730 })
    // Exactly what an id that never existed gets: nothing tells the other origin the bundle is real.
    const other = await request(connected, 'wallet_getCallsStatus', [id])
    expect(other).toMatchObject({ ok: false, code: 5730 })
    for (const page of [owner, connected, stranger]) await page.close()
  })
})
