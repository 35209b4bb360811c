import { encodeFunctionData, erc20Abi, parseEther, parseUnits } from 'viem'
import { describe, expect, test } from 'vitest'
import { executeCalls } from '../src/account/sendCalls.ts'
import { simulateAssetChanges } from '../src/simulate/simulateAssetChanges.ts'
import { fundEth, fundUsd, manifest, newAgent, publicClient, randomAddress, usdBalance } from './fixtures.ts'

const usd = manifest.contracts.usd
const call = (functionName: 'transfer' | 'approve', to: `0x${string}`, amount: bigint) => ({
  to: usd,
  data: encodeFunctionData({ abi: erc20Abi, functionName, args: [to, amount] }),
})

describe('simulateAssetChanges (eth_simulateV1 on anvil)', () => {
  test('reports ETH and Seed USD deltas and approvals of a batch from a counterfactual account, moving nothing', async () => {
    const agent = await newAgent()
    await fundEth(agent.address, parseEther('1'))
    await fundUsd(agent.address, parseUnits('10', 6))
    const [shop, spender] = [randomAddress(), randomAddress()]
    const result = await simulateAssetChanges(publicClient, {
      from: agent.address,
      calls: [
        { to: shop, value: parseEther('0.2') },
        call('transfer', shop, parseUnits('3', 6)),
        call('approve', spender, 5n),
      ],
    })
    expect(result.success).toBe(true)
    expect(result.changes).toEqual(
      expect.arrayContaining([
        { address: agent.address, asset: 'eth', delta: -parseEther('0.2'), symbol: 'ETH', decimals: 18 },
        { address: shop, asset: 'eth', delta: parseEther('0.2'), symbol: 'ETH', decimals: 18 },
        expect.objectContaining({ address: agent.address, delta: -parseUnits('3', 6), symbol: 'USDS', decimals: 6 }),
        expect.objectContaining({ address: shop, delta: parseUnits('3', 6), symbol: 'USDS' }),
      ]),
    )
    expect(result.changes).toHaveLength(4)
    expect(result.changes[0]!.address).toBe(agent.address)
    expect(result.approvals).toEqual([
      { token: expect.stringMatching(new RegExp(usd, 'i')), owner: agent.address, spender, amount: 5n },
    ])
    // Nothing happened for real.
    expect(await publicClient.getBalance({ address: shop })).toBe(0n)
    expect(await usdBalance(agent.address)).toBe(parseUnits('10', 6))
  })

  test('a deployed account simulates too, and a failing call is reported with no changes', async () => {
    const agent = await newAgent()
    await fundEth(agent.address)
    await executeCalls(agent, { calls: [{ to: randomAddress(), value: 1n }] })
    const ok = await simulateAssetChanges(publicClient, {
      from: agent.address,
      calls: [{ to: randomAddress(), value: 5n }],
    })
    expect(ok.success).toBe(true)
    expect(ok.changes.find((c) => c.address === agent.address)?.delta).toBe(-5n)
    const failing = await simulateAssetChanges(publicClient, {
      from: agent.address,
      calls: [call('transfer', randomAddress(), 1n)],
    })
    expect(failing.success).toBe(false)
    expect(failing.calls[0]!.status).toBe('failure')
    expect(failing.changes).toEqual([])
  })
})
