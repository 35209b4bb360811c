/**
 * Security (issue #11, attack 7; decision 0402): each agent's rollup is its own chain. Two agents in
 * two browsers get different chain ids, each derived from its own L1 inbox by the rule in
 * rollup-lite's SPEC.md §0; a tx signed for one agent's chain is refused by the other's; and a normal
 * build's genesis funds the agent's rollup account, never the devnet's publicly known keys.
 */
import { rollupChainIdOf } from '@seed/rollup-lite'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import { type Address, type Hex, numberToHex, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { rollupAccountKeyOf } from '../src/background/account/derived-keys.ts'
import { importWallet, l2Request } from './batching-harness.ts'
import { agentRollup, buildForTest, launchWithExtension, openPopup } from './harness.ts'

const manifest = inject('manifest')
const PASSWORD = 'correct horse battery'

type Agent = {
  browser: Browser & { extensionId: string }
  ownerKey: Hex
  rollup: Awaited<ReturnType<typeof agentRollup>>
  ext: Page
}
let a: Agent
let b: Agent

async function startAgent(extensionPath: string): Promise<Agent> {
  const browser = await launchWithExtension(extensionPath)
  const ownerKey = generatePrivateKey()
  await importWallet(browser, ownerKey, PASSWORD)
  return { browser, ownerKey, rollup: await agentRollup(browser), ext: await openPopup(browser, '/sites') }
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

  test("the genesis funds the agent's rollup account and none of the devnet's public keys", async () => {
    expect(a.rollup.account).toBe(privateKeyToAccount(rollupAccountKeyOf(a.ownerKey)).address)
    expect(await l2Request(a.ext, 'eth_getBalance', [a.rollup.account, 'latest'])).toBe(
      numberToHex(parseEther('10000')),
    )
    for (const devKeyAddress of Object.values(manifest.accounts) as Address[]) {
      expect(await l2Request(a.ext, 'eth_getBalance', [devKeyAddress, 'latest'])).toBe('0x0')
    }
  })

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
