/**
 * A pairing's on-chain session key (decision 0605), in Chromium with the built extension and the
 * devnet L1 and its bundler: approving a pairing installs a SeedAccount session with the grant's
 * budget, targets and expiry; the agent's L1 send within its threshold is an `executeAsSession` op
 * signed by that key; past the on-chain bound the account refuses it even when the wallet's own
 * check is forced open (the stored grant raised, as a compromised wallet would); revoking the
 * pairing ends the session on-chain; an install that did not go through is tried again on the agent's
 * next call, and the pairing says so meanwhile.
 */
import { SeedAccountAbi } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  decodeFunctionData,
  type Hex,
  http,
  isAddressEqual,
  parseEther,
} from 'viem'
import { entryPoint07Abi } from 'viem/account-abstraction'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import type { Pairing } from '../src/core/records.ts'
import { pairInPopup, revokeInPopup, startMcpAgent } from './agent-harness.ts'
import { buildForTest, createWallet, launchWithExtension, openPopup, screenshot, setPolicy } from './harness.ts'

const manifest = inject('manifest')
const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const user = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
type ToolResult = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: unknown }

let browser: Browser & { extensionId: string }
let agent: Awaited<ReturnType<typeof startMcpAgent>>
let account: Address
const shop = privateKeyToAddress(generatePrivateKey())

const tool = (name: string, args: Record<string, unknown> = {}) =>
  agent.client.callTool({ name, arguments: args }) as Promise<ToolResult>

/** The wallet's pairing records, read from the extension's storage through one of its pages. */
async function pairings(): Promise<Record<string, Pairing>> {
  const page = await openPopup(browser, '/pairings')
  const stored = await page.evaluate(() => chrome.storage.local.get('pairings'))
  await page.close()
  return (stored.pairings ?? {}) as Record<string, Pairing>
}

const sessionOn = async (key: Address) => {
  const [id, , validUntil] = await l1.readContract({
    address: account,
    abi: SeedAccountAbi,
    functionName: 'sessions',
    args: [key],
  })
  return { id, validUntil }
}

/** The user op a transaction carried, decoded down to the account call it made. */
async function accountCallOf(hash: Hex) {
  const tx = await l1.getTransaction({ hash })
  const { args } = decodeFunctionData({ abi: entryPoint07Abi, data: tx.input })
  const op = (args[0] as readonly { sender: Address; callData: Hex }[]).find((o) => isAddressEqual(o.sender, account))!
  return decodeFunctionData({ abi: SeedAccountAbi, data: op.callData })
}

beforeAll(async () => {
  browser = await launchWithExtension(await buildForTest(manifest))
  account = await createWallet(browser, 'correct horse battery')
  await l1.waitForTransactionReceipt({ hash: await user.sendTransaction({ to: account, value: parseEther('2') }) })
  agent = await startMcpAgent('key-bot')
})

afterAll(async () => {
  await agent?.close()
  await browser?.close()
})

describe("a pairing's on-chain session key", () => {
  let pairing: Pairing
  let sessionKey: Address

  test('approving the pairing installs a session with its expiry on the smart account', async () => {
    const { popup } = await pairInPopup(browser, agent, {
      budgetEth: '0.02',
      approvalAboveEth: '0.015',
      allowedTargets: shop,
      days: '2',
    })
    await popup.getByTestId('pairing-key').waitFor()
    await screenshot(popup, 'pairing-key')
    await popup.close()
    pairing = Object.values(await pairings()).find((p) => p.name === 'key-bot')!
    expect(pairing.session).toMatchObject({ status: 'active', sessionKey: expect.any(String) })
    sessionKey = (pairing.session as { sessionKey: Address }).sessionKey
    const session = await sessionOn(sessionKey)
    expect(session.id).toBeGreaterThan(0n)
    expect(session.validUntil).toBe(Math.floor(pairing.grant.expiresAt / 1000))
  })

  test('an L1 send within the grant is signed by the session key (executeAsSession)', async () => {
    const sent = await tool('send', { chain: 'l1', to: shop, value: '0x2386f26fc10000' }) // 0.01 ETH
    expect(sent.isError, JSON.stringify(sent.content)).toBeFalsy()
    const [{ hash }] = (sent.structuredContent as { items: [{ hash: Hex }] }).items
    const call = await accountCallOf(hash)
    expect(call.functionName).toBe('executeAsSession')
    expect(isAddressEqual(call.args![0] as Address, sessionKey)).toBe(true)
    expect(await l1.getBalance({ address: shop })).toBe(parseEther('0.01'))
  })

  test("attack: past the on-chain bound the account refuses it, even with the wallet's check forced open", async () => {
    // A compromised or buggy wallet: the stored grant says 10 ETH; the session on-chain still says 0.02.
    const page = await openPopup(browser, '/pairings')
    await page.evaluate(async (id) => {
      const { pairings } = (await chrome.storage.local.get('pairings')) as { pairings: Record<string, Pairing> }
      const raised = { ...pairings[id]!.grant, budgetEth: '10', approvalAboveEth: '10' }
      await chrome.storage.local.set({ pairings: { ...pairings, [id]: { ...pairings[id]!, grant: raised } } })
    }, pairing.id)
    await page.close()
    const over = await tool('send', { chain: 'l1', to: shop, value: '0x2386f26fc10000' }) // 0.01 more: 0.02 total
    expect(over.isError, JSON.stringify(over.content)).toBeFalsy() // exactly the bound: allowed
    const past = await tool('send', { chain: 'l1', to: shop, value: '0x38d7ea4c68000' }) // 0.001 past it
    expect(past.isError).toBe(true)
    expect(past.structuredContent).toMatchObject({ code: -32003 })
    expect(JSON.stringify(past.content)).toContain('ValueLimitExceeded')
    expect(await l1.getBalance({ address: shop })).toBe(parseEther('0.02'))
  })

  test('revoking the pairing ends the session on-chain', async () => {
    const popup = await openPopup(browser, '/pairings')
    await revokeInPopup(popup)
    await popup.close()
    expect((await sessionOn(sessionKey)).id).toBe(0n)
    expect((await pairings())[pairing.id]!.session).toMatchObject({ status: 'revoked' })
    const refused = await tool('send', { chain: 'l1', to: shop, value: '0x1' })
    expect(refused.structuredContent).toMatchObject({
      code: 4100,
      reasons: [expect.objectContaining({ code: 'revoked' })],
    })
  })
})

describe('an install that did not go through', () => {
  test("is tried again on the agent's next call, and the pairing says so meanwhile", async () => {
    const retryAgent = await startMcpAgent('retry-bot')
    try {
      // The kill switch refuses the install op (an admin action through the pipeline): the key is not installed.
      await (await setPolicy(browser, (p) => p.getByLabel('Kill switch').check())).close()
      const { popup } = await pairInPopup(browser, retryAgent, { budgetEth: '0.02', allowedTargets: shop, days: '2' })
      await popup
        .getByText(/tried again on the agent's next action/)
        .first()
        .waitFor()
      await popup.close()
      const id = Object.values(await pairings()).find((p) => p.name === 'retry-bot')!.id
      expect((await pairings())[id]!.session).toMatchObject({ status: 'none', retry: true })
      await (await setPolicy(browser, (p) => p.getByLabel('Kill switch').uncheck())).close()

      // Any call of the agent's starts the install again; it lands as an owner op, then the pairing says so.
      const read = (await retryAgent.client.callTool({ name: 'addresses', arguments: {} })) as ToolResult
      expect(read.isError, JSON.stringify(read.content)).toBeFalsy()
      let session = (await pairings())[id]!.session
      for (let i = 0; i < 120 && session?.status !== 'active'; i++) {
        await new Promise((r) => setTimeout(r, 500))
        session = (await pairings())[id]!.session
      }
      expect(session).toMatchObject({ status: 'active', sessionKey: expect.any(String) })
      expect((await sessionOn((session as { sessionKey: Address }).sessionKey)).id).toBeGreaterThan(0n)
    } finally {
      await retryAgent.close()
    }
  })
})
