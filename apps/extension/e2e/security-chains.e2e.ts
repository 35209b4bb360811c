/**
 * Security (issue #11, attack 7; decision 0402): each agent's rollup is its own chain. Two agents in
 * two browsers get different chain ids, each derived from its own L1 inbox by the rule in
 * rollup-lite's SPEC.md §0; a tx signed for one agent's chain is refused by the other's; and a normal
 * build's genesis funds nobody, the devnet's publicly known keys least of all: the chain's first ETH
 * arrives by deposit through the portal, once "Start batching" has registered its bridge config
 * (decision 0702).
 */
import { depositEth, SEED_PORTAL, SeedPortalAbi } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import { rollupChainIdOf } from '@seed/rollup-lite'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import { type Address, createWalletClient, type Hex, http, numberToHex, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount, privateKeyToAddress } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { guardianKeyOf, rollupAccountKeyOf } from '../src/background/account/derived-keys.ts'
import type { DepositsState } from '../src/rollup/worker-api.ts'
import { fundOnL1, importWallet, l1ClientFor, l2Request, sleep, uiRequest } from './batching-harness.ts'
import { agentRollup, buildForTest, launchWithExtension, openPopup } from './harness.ts'

const manifest = inject('manifest')
const PASSWORD = 'correct horse battery'

type Agent = {
  browser: Browser & { extensionId: string }
  ownerKey: Hex
  smartAccount: Address
  rollup: Awaited<ReturnType<typeof agentRollup>>
  ext: Page
}
let a: Agent
let b: Agent

async function startAgent(extensionPath: string): Promise<Agent> {
  const browser = await launchWithExtension(extensionPath)
  const ownerKey = generatePrivateKey()
  const smartAccount = await importWallet(browser, ownerKey, PASSWORD)
  return {
    browser,
    ownerKey,
    smartAccount,
    rollup: await agentRollup(browser),
    ext: await openPopup(browser, '/sites'),
  }
}

/** The Worker's deposit feed (background → offscreen → Worker, from an extension page). */
async function depositsOf(ext: Page): Promise<DepositsState> {
  const reply = (await ext.evaluate(() =>
    chrome.runtime.sendMessage({ seed: 1, to: 'offscreen', type: 'rollup:deposits', payload: undefined }),
  )) as { result: DepositsState }
  return reply.result
}

beforeAll(async () => {
  const extensionPath = await buildForTest(manifest) // a normal build: no dev flag
  a = await startAgent(extensionPath)
  b = await startAgent(extensionPath)
})

afterAll(async () => {
  await a?.browser.close()
  await b?.browser.close()
})

describe("Security: every agent's rollup is its own chain", () => {
  test('two agents get different chain ids, each the one its inbox derives by the SPEC rule', async () => {
    expect(a.rollup.chainId).not.toBe(b.rollup.chainId)
    for (const agent of [a, b]) {
      expect(agent.rollup.chainId).toBe(rollupChainIdOf(manifest.l1.chainId, agent.rollup.inbox))
      expect(await l2Request(agent.ext, 'eth_chainId')).toBe(numberToHex(agent.rollup.chainId))
    }
  })

  test("a normal build's genesis funds nobody: neither the agent's rollup account nor the devnet's public keys", async () => {
    expect(a.rollup.account).toBe(privateKeyToAccount(rollupAccountKeyOf(a.ownerKey)).address)
    for (const address of [a.rollup.account, ...(Object.values(manifest.accounts) as Address[])]) {
      expect(await l2Request(a.ext, 'eth_getBalance', [address, 'latest'])).toBe('0x0')
    }
  })

  test("the chain's first ETH arrives by deposit: Start batching registers the bridge config in the inbox's op", async () => {
    const l1 = l1ClientFor(manifest)
    await fundOnL1(manifest, a.smartAccount)
    const before = await depositsOf(a.ext)
    expect(before.following).toBeNull() // no inbox yet: blocks carry origin 0
    await uiRequest(a.ext, 'ui:enableBatching')
    const config = await l1.readContract({
      address: SEED_PORTAL,
      abi: SeedPortalAbi,
      functionName: 'configOf',
      args: [a.rollup.inbox],
    })
    // The wallet's derived guardian key guards its chain (Stage 0), and the proposer's bond left the account.
    expect(config.guardians).toEqual([privateKeyToAddress(guardianKeyOf(a.ownerKey))])
    expect(config.threshold).toBe(1n)
    expect(
      await l1.readContract({
        address: SEED_PORTAL,
        abi: SeedPortalAbi,
        functionName: 'proposerBond',
        args: [a.rollup.inbox],
      }),
    ).toBe(config.challengeBond)

    const amount = parseEther('0.5')
    const depositor = createWalletClient({
      chain: foundry,
      transport: http(manifest.l1.rpcUrl),
      account: devAccount('user'),
    })
    const hash = await depositor.sendTransaction(
      await depositEth(l1, { inbox: a.rollup.inbox, to: a.rollup.account, amount }),
    )
    const receipt = await l1.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    // The devnet mines on demand: the node takes an L1 block as origin once L1_CONFIRMATION_DEPTH (2) blocks follow it.
    await l1.request({ method: 'anvil_mine', params: ['0x2'] } as never)
    let state = await depositsOf(a.ext)
    for (let i = 0; i < 120 && state.deposits.length === 0; i++) {
      await sleep(500)
      state = await depositsOf(a.ext)
    }
    expect(state.following).toBe(a.rollup.inbox)
    expect(state.deposits[0]).toMatchObject({ to: a.rollup.account, mint: amount.toString(), status: 'success' })
    expect(BigInt(state.l1Origin)).toBeGreaterThanOrEqual(receipt.blockNumber)
    expect(await l2Request(a.ext, 'eth_getBalance', [a.rollup.account, 'latest'])).toBe(numberToHex(amount))
  }, 180_000)

  test("a tx signed for one agent's chain is refused by another's and changes nothing there", async () => {
    const signer = privateKeyToAccount(rollupAccountKeyOf(a.ownerKey))
    const recipient = '0x00000000000000000000000000000000000c4a11' as Address
    const raw = await signer.signTransaction({
      chainId: a.rollup.chainId,
      type: 'eip1559',
      nonce: 0,
      to: recipient,
      value: 1n,
      gas: 21_000n,
      maxFeePerGas: BigInt(await l2Request(a.ext, 'eth_gasPrice')) * 2n,
      maxPriorityFeePerGas: 0n,
    })
    await expect(l2Request(b.ext, 'eth_sendRawTransaction', [raw])).rejects.toThrow(/invalid chain id/)
    expect(await l2Request(b.ext, 'eth_getBalance', [recipient, 'latest'])).toBe('0x0')
    // On its own chain the same tx is valid.
    expect(await l2Request(a.ext, 'eth_sendRawTransaction', [raw])).toMatch(/^0x[0-9a-f]{64}$/)
  })
})
