/**
 * Attacks on the wallet's guardrails, tried as a connected page would (headless Chromium + the
 * built extension + the devnet, its bundler behind a proxy the test can make greedy): each must be
 * refused by the one action pipeline before anything is signed. On a wallet without it, each of
 * these opens an approval window (or spends twice), which the tests count as a failure.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  numberToHex,
  parseAbi,
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
  type PageOutcome,
  refusedAtOnce,
  serveDapp,
  setPolicy as setPolicyAs,
} from './harness.ts'

const manifest = inject('manifest')
const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const user = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
const PASSWORD = 'correct horse battery'

declare global {
  interface Window {
    dapp: Dapp
  }
}

/**
 * The real alto behind a proxy: it passes every request through and, while `inflate` is on, answers
 * gas estimates and gas prices 1000x higher — a bundler that would take the account's ETH in fees.
 */
function greedyBundler(target: string) {
  const state = { inflate: false, sentUserOps: 0 }
  const times1000 = (hex: unknown) => (typeof hex === 'string' ? numberToHex(BigInt(hex) * 1000n) : hex)
  const inflate = (method: string, result: Record<string, unknown>) => {
    if (method === 'eth_estimateUserOperationGas') {
      for (const key of ['callGasLimit', 'verificationGasLimit', 'preVerificationGas']) {
        result[key] = times1000(result[key])
      }
    }
    if (method === 'pimlico_getUserOperationGasPrice') {
      for (const tier of Object.values(result) as Record<string, unknown>[]) {
        tier.maxFeePerGas = times1000(tier.maxFeePerGas)
        tier.maxPriorityFeePerGas = times1000(tier.maxPriorityFeePerGas)
      }
    }
    return result
  }
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = ''
      req.on('data', (chunk) => (text += chunk))
      req.on('end', () => resolve(text))
    })
  const server = createServer(async (req, res) => {
    const text = await body(req)
    const parsed = JSON.parse(text) as { method: string } | { method: string }[]
    const calls = Array.isArray(parsed) ? parsed : [parsed]
    state.sentUserOps += calls.filter((c) => c.method === 'eth_sendUserOperation').length
    const upstream = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    })
    let answer = (await upstream.json()) as
      | { result?: Record<string, unknown> }
      | { result?: Record<string, unknown> }[]
    if (state.inflate) {
      const answers = Array.isArray(answer) ? answer : [answer]
      answers.forEach((a, i) => {
        if (a.result && typeof a.result === 'object') a.result = inflate(calls[i]!.method, a.result)
      })
      answer = Array.isArray(answer) ? answers : answers[0]!
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
  })
  return { server, state }
}

let browser: Browser & { extensionId: string }
let dappServer: Server
let bundlerProxy: ReturnType<typeof greedyBundler>
let dapp: Page
let account: Address

beforeAll(async () => {
  bundlerProxy = greedyBundler(manifest.bundler.url)
  await new Promise<void>((resolve) => bundlerProxy.server.listen(0, '127.0.0.1', resolve))
  const proxyUrl = `http://127.0.0.1:${(bundlerProxy.server.address() as AddressInfo).port}`
  browser = await launchWithExtension(await buildForTest({ ...manifest, bundler: { url: proxyUrl } }))
  const served = await serveDapp()
  dappServer = served.server
  account = await createWallet(browser, PASSWORD)
  await l1.waitForTransactionReceipt({ hash: await user.sendTransaction({ to: account, value: parseEther('5') }) })
  dapp = await browser.context.newPage()
  await dapp.goto(served.url)
  await dapp.waitForFunction(() => window.dapp.wallets().length > 0)
  const connected = await approveNextRequest(browser.context, () => dapp.evaluate(() => window.dapp.connect()))
  expect(connected).toEqual({ ok: true, value: [account] })
})

afterAll(async () => {
  await browser?.close()
  dappServer?.close()
  bundlerProxy?.server.close()
})

const reasonCodes = (outcome: PageOutcome) => {
  expect(outcome).toMatchObject({ ok: false, code: 4100 })
  return (outcome as { details?: string }).details ?? ''
}

const setPolicy = (change: (popup: Page) => Promise<void>) => setPolicyAs(browser, change).then((p) => p.close())

describe('security: the one action pipeline', () => {
  test('2.5 ETH wrapped in executeBatch to the account itself is refused against a 1 ETH cap', async () => {
    const shop = '0x000000000000000000000000000000000005e1f0' as Address
    const data = encodeFunctionData({
      abi: parseAbi(['function executeBatch((address target, uint256 value, bytes data)[] calls)']),
      functionName: 'executeBatch',
      args: [
        [
          { target: shop, value: parseEther('1.5'), data: '0x' },
          { target: shop, value: parseEther('1'), data: '0x' },
        ],
      ],
    })
    const outcome = await refusedAtOnce(browser.context, dapp, 'eth_sendTransaction', [
      { from: account, to: account, data },
    ])
    expect(reasonCodes(outcome)).toMatch(/per-action cap is 1000000000000000000/)
    expect(await l1.getBalance({ address: shop })).toBe(0n)
  })

  test('an admin selector on the account (transferOwnership) from a page is refused', async () => {
    const data = encodeFunctionData({
      abi: parseAbi(['function transferOwnership(address newOwner)']),
      functionName: 'transferOwnership',
      args: [user.account.address],
    })
    const outcome = await refusedAtOnce(browser.context, dapp, 'eth_sendTransaction', [
      { from: account, to: account, data },
    ])
    expect(reasonCodes(outcome)).toMatch(/admin function 0xf2fde38b/)
  })

  test('a 32-byte personal_sign is refused by default', async () => {
    const hash = `0x${'5e'.repeat(32)}` as Hex
    const outcome = await refusedAtOnce(browser.context, dapp, 'personal_sign', [hash, account])
    expect(reasonCodes(outcome)).toMatch(/32-byte message/)
  })

  test('the setting that allows 32-byte personal_sign says loudly what it risks; then such a request is asked', async () => {
    const popup = await setPolicyAs(browser, async (p) => {
      await p.getByLabel('Allow sites to get 32-byte messages (hashes) signed').check()
      await p
        .getByRole('alert')
        .getByText(/can authorise anything your key controls/)
        .waitFor()
    })
    await popup.close()
    try {
      const opened = nextApprovalWindow(browser.context)
      const answer = dapp.evaluate(
        ([a]) => window.dapp.request('personal_sign', [`0x${'5e'.repeat(32)}`, a]),
        [account],
      )
      await (await opened).getByRole('button', { name: 'Reject' }).click()
      expect(await answer).toMatchObject({ ok: false, code: 4001 })
    } finally {
      await setPolicy((p) => p.getByLabel('Allow sites to get 32-byte messages (hashes) signed').uncheck())
    }
  })

  test('Permit2 typed data is refused by default', async () => {
    const permit2 = {
      domain: {
        name: 'Permit2',
        chainId: manifest.l1.chainId,
        verifyingContract: '0x000000000022D473030F116dDEE9F6B43aC78BA3',
      },
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' },
        ],
        PermitSingle: [
          { name: 'details', type: 'PermitDetails' },
          { name: 'spender', type: 'address' },
          { name: 'sigDeadline', type: 'uint256' },
        ],
        PermitDetails: [
          { name: 'token', type: 'address' },
          { name: 'amount', type: 'uint160' },
          { name: 'expiration', type: 'uint48' },
          { name: 'nonce', type: 'uint48' },
        ],
      },
      primaryType: 'PermitSingle',
      message: {
        details: {
          token: manifest.contracts.usd,
          amount: ((1n << 160n) - 1n).toString(),
          expiration: '281474976710655',
          nonce: '0',
        },
        spender: user.account.address,
        sigDeadline: '9999999999',
      },
    }
    const outcome = await refusedAtOnce(browser.context, dapp, 'eth_signTypedData_v4', [
      account,
      JSON.stringify(permit2),
    ])
    expect(reasonCodes(outcome)).toMatch(/PermitSingle looks like it moves value/)
  })

  test('two concurrent requests against one budget: exactly one is approved and spends', async () => {
    await setPolicy(async (popup) => {
      await popup.getByLabel('Max ETH per 24 h').fill('0.5')
    })
    const recipient = '0x00000000000000000000000000000000000c0c0a' as Address
    const windows: Page[] = []
    const onPage = (page: Page) => {
      if (page.url().includes('/approve/')) windows.push(page)
    }
    browser.context.on('page', onPage)
    let answered = 0
    const send = () =>
      dapp
        .evaluate(
          ([a, to]) => window.dapp.sendTransaction(a as Address, to as Address, '0x429d069189e0000'),
          [account, recipient],
        ) // 0.3 ETH each: both fit 0.5 alone, not together
        .finally(() => answered++)
    const sends = [send(), send()]
    // Each request is either answered (refused) or waiting in a window.
    await expect.poll(() => answered + windows.length, { timeout: 30_000 }).toBe(2)
    // The one that does not fit is refused before the user is asked: never two windows for one budget.
    expect(windows).toHaveLength(1)
    // The window shows the most the op can cost in fees (it counts against the same budget).
    await windows[0]!.getByText(/At most \d+(\.\d+)? ETH/).waitFor()
    // The user approves every window at once, before any op lands.
    await Promise.all(windows.map((w) => w.getByRole('button', { name: 'Approve' }).click()))
    const outcomes = (await Promise.all(sends)) as PageOutcome[]
    browser.context.off('page', onPage)
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1)
    expect(outcomes.filter((o) => !o.ok)).toMatchObject([{ code: 4100 }])
    expect(await l1.getBalance({ address: recipient })).toBe(parseEther('0.3'))
  })

  test('a bundler inflating gas and fees is refused; nothing reaches it to send', async () => {
    await setPolicy(async (popup) => {
      await popup.getByLabel('Max ETH per 24 h').fill('100')
    })
    bundlerProxy.state.inflate = true
    const sentBefore = bundlerProxy.state.sentUserOps
    try {
      const outcome = await refusedAtOnce(browser.context, dapp, 'eth_sendTransaction', [
        { from: account, to: user.account.address, value: '0x2386f26fc10000' },
      ])
      expect(reasonCodes(outcome)).toMatch(/The bundler asks for \d+ gas at \d+ wei\/gas/)
    } finally {
      bundlerProxy.state.inflate = false
    }
    expect(bundlerProxy.state.sentUserOps).toBe(sentBefore)
  })
})
