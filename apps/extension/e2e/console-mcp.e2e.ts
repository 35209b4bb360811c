/**
 * A paired external agent drives the wallet over MCP (issue 14), in Chromium with the built extension
 * and the devnet: the official MCP SDK client runs `seed-agent mcp`, the person pairs it in the popup
 * (the person types the code the agent printed), the agent lists its tools, pays an x402 resource from its rollup
 * account (the devnet facilitator settles it on the stack's rollup), sends an L2 transaction, is
 * refused past its grant's budget with the reason, and is refused at once once revoked. A web page
 * cannot reach the capability API, neither through the provider nor the agent's bridge.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Address } from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import {
  fundUsdOnStackRollup,
  mintUsdOnL1,
  pairInPopup,
  revokeInPopup,
  sellOnL1,
  sellOnStackRollup,
  startMcpAgent,
  usdOnStackRollup,
} from './agent-harness.ts'
import {
  agentRollup,
  buildForTest,
  createWallet,
  launchWithExtension,
  nextApprovalWindow,
  openPopup,
  screenshot,
  serveDapp,
} from './harness.ts'

const manifest = inject('manifest')
const PRICE = 25_000n // 0.025 USDS
type ToolResult = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: unknown }

let browser: Browser & { extensionId: string }
let agent: Awaited<ReturnType<typeof startMcpAgent>>
let mcp: Client
let seller: Awaited<ReturnType<typeof sellOnStackRollup>>
let dappServer: Server
let dappUrl: string
let rollupAccount: Address
const payTo = privateKeyToAddress(generatePrivateKey())

const tool = (name: string, args: Record<string, unknown> = {}) =>
  mcp.callTool({ name, arguments: args }) as Promise<ToolResult>

beforeAll(async () => {
  // Dev-flagged: the agent's rollup account is funded at genesis for the L2 send (a normal build's first ETH
  // arrives by deposit, security-chains.e2e.ts; decision 0702).
  browser = await launchWithExtension(await buildForTest(manifest, { devRollupAccounts: true }))
  await createWallet(browser, 'correct horse battery')
  rollupAccount = (await agentRollup(browser)).account
  await fundUsdOnStackRollup(manifest, rollupAccount, 1_000_000n)
  seller = await sellOnStackRollup(manifest, payTo, PRICE)
  agent = await startMcpAgent('e2e-bot')
  mcp = agent.client
  ;({ url: dappUrl, server: dappServer } = await serveDapp())
})

afterAll(async () => {
  await agent?.close()
  await seller?.close()
  dappServer?.close()
  await browser?.close()
})

describe('paired agent over MCP', () => {
  test('pairs in the popup (the code the agent printed, typed in), lists the tools, pays an x402 resource and sends an L2 tx', async () => {
    const { popup } = await pairInPopup(browser, agent, {
      budgetEth: '0.5',
      budgetUsd: '1',
      approvalAboveEth: '0.05',
      approvalAboveUsd: '1',
    })
    await screenshot(popup, 'pairings')
    const names = (await mcp.listTools()).tools.map((t) => t.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'balances',
        'send',
        'sendCalls',
        'x402_fetch',
        'rollup_deploy',
        'rollup_call',
        'rollup_status',
        'policy',
        'activity',
      ]),
    )

    const balances = await tool('balances')
    expect(balances.isError).toBeFalsy()
    expect(balances.structuredContent).toMatchObject({
      l1: { eth: expect.any(String) },
      rollup: { eth: expect.any(String) },
    })

    // x402: the seller's 402 accepts the stack rollup; the wallet pays from the rollup account.
    const before = await usdOnStackRollup(manifest, payTo)
    const paid = await tool('x402_fetch', { url: seller.url })
    expect(paid.isError, JSON.stringify(paid.content)).toBeFalsy()
    expect(paid.structuredContent).toMatchObject({
      status: 200,
      body: JSON.stringify({ quote: 42 }),
      payment: { network: `eip155:${manifest.rollup.chainId}`, amount: String(PRICE), payer: rollupAccount },
    })
    expect((await usdOnStackRollup(manifest, payTo)) - before).toBe(PRICE)

    // An L2 transaction on the agent's own rollup, within the grant: no window, sent at once.
    const recipient = privateKeyToAddress(generatePrivateKey())
    const sent = await tool('send', { chain: 'rollup', to: recipient, value: '0x2386f26fc10000' }) // 0.01 ETH
    expect(sent.isError, JSON.stringify(sent.content)).toBeFalsy()
    expect(sent.structuredContent).toMatchObject({ chain: 'rollup', hash: expect.stringMatching(/^0x[0-9a-f]{64}$/) })

    // Activity says who asked.
    const activity = await tool('activity', { limit: 5 })
    const items = (activity.structuredContent as { items: { by: string; summary: string }[] }).items
    expect(items.filter((i) => i.by === 'agent:e2e-bot').map((i) => i.summary)).toEqual(
      expect.arrayContaining([expect.stringContaining('x402: paid'), `Send to ${recipient}`]),
    )
    await popup.close()
  })

  test('above the approval threshold the window opens, names the agent, and the approved send goes through', async () => {
    const window = nextApprovalWindow(browser.context)
    const answer = tool('send', {
      chain: 'rollup',
      to: privateKeyToAddress(generatePrivateKey()),
      value: '0x16345785d8a0000',
    }) // 0.1 ETH
    const approval = await window
    await approval.getByText('agent:e2e-bot').first().waitFor()
    // It says why it asks: the pairing's threshold (the wallet's own policy would allow 0.1 ETH).
    await approval
      .getByTestId('asked-because')
      .getByText("Above the approval threshold of agent:e2e-bot's pairing.")
      .waitFor()
    await screenshot(approval, 'approval-agent')
    await approval.getByRole('button', { name: 'Approve' }).click()
    const sent = await answer
    expect(sent.isError, JSON.stringify(sent.content)).toBeFalsy()
    expect(sent.structuredContent).toMatchObject({ chain: 'rollup', hash: expect.stringMatching(/^0x[0-9a-f]{64}$/) })
  })

  test('x402 on L1: a seller accepting only L1 is paid from the smart account (ERC-6492 while counterfactual)', async () => {
    const { smartAccount } = (await tool('addresses')).structuredContent as { smartAccount: Address }
    await mintUsdOnL1(manifest, smartAccount, 1_000_000n)
    const l1Seller = await sellOnL1(manifest, payTo, PRICE)
    try {
      const paid = await tool('x402_fetch', { url: l1Seller.url })
      expect(paid.isError, JSON.stringify(paid.content)).toBeFalsy()
      expect(paid.structuredContent).toMatchObject({
        status: 200,
        payment: { network: `eip155:${manifest.l1.chainId}`, amount: String(PRICE), payer: smartAccount },
      })
    } finally {
      await l1Seller.close()
    }
  })

  test('deploys a contract on the rollup and calls it', async () => {
    // Creation code whose runtime returns 42 for any call.
    const bytecode = '0x600a600c600039600a6000f3602a60005260206000f3'
    const deployed = await tool('rollup_deploy', { bytecode })
    expect(deployed.isError, JSON.stringify(deployed.content)).toBeFalsy()
    const { address } = deployed.structuredContent as { address: Address }
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/)
    const called = await tool('rollup_call', { to: address, data: '0x' })
    expect(called.structuredContent).toEqual({ data: `0x${'2a'.padStart(64, '0')}` })
    const status = await tool('rollup_status')
    expect(status.structuredContent).toMatchObject({ head: expect.any(Number), pendingTxs: expect.any(Number) })
  })

  test('a hostile seller: a 402 that is not x402 is a typed error, a huge body is cut at 1 MB', async () => {
    const hostile = createServer((req, res) => {
      if (req.url === '/garbage') return res.writeHead(402, { 'content-type': 'application/json' }).end('{"nope":')
      res.writeHead(200, { 'content-type': 'text/plain' })
      const chunk = 'x'.repeat(64 * 1024)
      let sent = 0
      const pump = () => {
        while (sent < 32 * 1024 * 1024) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        res.end()
      }
      pump()
    })
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`
    try {
      const garbage = await tool('x402_fetch', { url: `${base}/garbage` })
      expect(garbage.isError).toBe(true)
      expect(garbage.structuredContent).toMatchObject({ code: -32602 })
      const huge = await tool('x402_fetch', { url: `${base}/huge` })
      expect(huge.isError, JSON.stringify(huge.content).slice(0, 300)).toBeFalsy()
      expect((huge.structuredContent as { body: string }).body).toHaveLength(1_000_000)
      expect((await tool('addresses')).isError).toBeFalsy()
    } finally {
      hostile.closeAllConnections()
      hostile.close()
    }
  })

  test("a send over the pairing's budget is refused with the reason and what is left", async () => {
    const over = await tool('send', {
      chain: 'rollup',
      to: privateKeyToAddress(generatePrivateKey()),
      value: '0xde0b6b3a7640000', // 1 ETH, budget 0.5
    })
    expect(over.isError).toBe(true)
    expect(over.structuredContent).toMatchObject({
      refused: true,
      code: 4100,
      reasons: [expect.objectContaining({ code: 'budget' })],
      left: { grantLeftEth: expect.any(String) },
    })
    expect(Number((over.structuredContent!.left as { grantLeftEth: string }).grantLeftEth)).toBeLessThan(0.5)
  })

  test('attack: a web page cannot reach the capability API (no provider method, the bridge refuses its origin)', async () => {
    const page = await browser.context.newPage()
    await page.goto(dappUrl)
    await page.waitForFunction(() => window.dapp.wallets().length > 0)
    for (const method of ['seed_invokeCapability', 'wallet.balances', 'agent:call']) {
      const answer = (await page.evaluate((m) => window.dapp.request(m, []), method)) as { ok: boolean; code?: number }
      expect(answer).toMatchObject({ ok: false })
      expect([4100, 4200]).toContain(answer.code)
    }
    const bridge = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(url)
          socket.onopen = () => resolve('open')
          socket.onerror = () => resolve('refused')
        }),
      agent.bridgeUrl,
    )
    expect(bridge).toBe('refused')
    await page.close()
  })

  test('a revoked pairing is refused at once', async () => {
    const popup = await openPopup(browser, '/pairings')
    await revokeInPopup(popup)
    const refused = await tool('balances')
    expect(refused.isError).toBe(true)
    expect(refused.structuredContent).toMatchObject({
      code: 4100,
      reasons: [expect.objectContaining({ code: 'revoked' })],
    })
    await popup.close()
  })
})
