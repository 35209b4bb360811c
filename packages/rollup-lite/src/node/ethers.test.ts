/** ethers v6, unmodified, against the node: send and wait (soft receipt), contract deploy/call, logs. */
import { TestTokenAbi, TestTokenBytecode } from '@seed/contracts'
import { ContractFactory, JsonRpcProvider, Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode, TEST_KEYS, type TestNode } from '../testing.ts'

describe('ethers v6 against rollup-lite', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await startTestNode({ blockTime: 200 })
  })
  afterAll(() => t.close())

  it('sends, waits for receipts, deploys and calls an ERC-20, and queries its events', async () => {
    // cacheTimeout -1: ethers caches identical requests for 250 ms, so with instant (soft)
    // confirmations a second tx within 250 ms would reuse the previous pending nonce — the same
    // setting ethers needs against an automining anvil/hardhat.
    const provider = new JsonRpcProvider(t.server.url, undefined, {
      staticNetwork: true,
      polling: true,
      pollingInterval: 20,
      cacheTimeout: -1,
    })
    const wallet = new Wallet(TEST_KEYS[1] as string, provider)
    expect((await provider.getNetwork()).chainId).toBe(t.node.chainId)

    const sent = await wallet.sendTransaction({ to: '0x0000000000000000000000000000000000e7e7e7', value: 1234n })
    const receipt = await sent.wait()
    expect(receipt?.status).toBe(1)
    expect(await provider.getBalance('0x0000000000000000000000000000000000e7e7e7')).toBe(1234n)

    const factory = new ContractFactory(TestTokenAbi as never, TestTokenBytecode, wallet)
    const token = (await factory.deploy('Ethers', 'ETH5')) as any
    await token.waitForDeployment()
    await (await token.mint(wallet.address, 50n)).wait()
    await (await token.transfer('0x0000000000000000000000000000000000e7e7e7', 20n)).wait()
    expect(await token.balanceOf('0x0000000000000000000000000000000000e7e7e7')).toBe(20n)
    await t.node.sealNow()
    const events = await token.queryFilter(token.filters.Transfer(), 0)
    expect(events.map((e: any) => e.args.value)).toEqual([50n, 20n])
    provider.destroy()
  })
})
