import { SeedAccountAbi } from '@seed/contracts'
import { encodeFunctionData, erc20Abi, parseEther, parseUnits } from 'viem'
import { describe, expect, test } from 'vitest'
import { estimateCalls } from '../src/account/estimateCalls.ts'
import { executeCalls, sendCalls, waitForCalls } from '../src/account/sendCalls.ts'
import { fundEth, fundUsd, manifest, newAgent, publicClient, randomAddress, usdBalance } from './fixtures.ts'

describe('SeedAccount through alto', () => {
  test('the counterfactual address deploys with the first user op, which sends ETH', async () => {
    const agent = await newAgent()
    expect(await publicClient.getCode({ address: agent.address })).toBeUndefined()
    await fundEth(agent.address)
    const recipient = randomAddress()
    const estimate = await estimateCalls(agent, { calls: [{ to: recipient, value: parseEther('0.1') }] })
    expect(estimate.deploys).toBe(true)
    const receipt = await executeCalls(agent, { calls: [{ to: recipient, value: parseEther('0.1') }] })
    expect(receipt.success).toBe(true)
    // The estimate bounds what the op actually cost.
    expect(receipt.actualGasCost).toBeGreaterThan(0n)
    expect(receipt.actualGasCost).toBeLessThanOrEqual(estimate.maxCost)
    expect((await estimateCalls(agent, { calls: [{ to: recipient, value: 1n }] })).deploys).toBe(false)
    expect(await publicClient.getCode({ address: agent.address })).toMatch(/^0x.+/)
    expect(await publicClient.getBalance({ address: recipient })).toBe(parseEther('0.1'))
    const owner = await publicClient.readContract({
      address: agent.address,
      abi: SeedAccountAbi,
      functionName: 'owner',
    })
    expect(owner).toBe(agent.account.ownerAddress)
  })

  test('a batch moves ETH and Seed USD atomically in one op', async () => {
    const agent = await newAgent()
    await fundEth(agent.address)
    await fundUsd(agent.address, parseUnits('50', 6))
    const [a, b] = [randomAddress(), randomAddress()]
    const receipt = await executeCalls(agent, {
      calls: [
        { to: a, value: parseEther('0.01') },
        {
          to: manifest.contracts.usd,
          data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [b, parseUnits('20', 6)] }),
        },
      ],
    })
    expect(receipt.success).toBe(true)
    expect(await publicClient.getBalance({ address: a })).toBe(parseEther('0.01'))
    expect(await usdBalance(b)).toBe(parseUnits('20', 6))
    expect(await usdBalance(agent.address)).toBe(parseUnits('30', 6))
  })

  test('concurrent ops from one undeployed account all land (one deploys, parallel nonce keys)', async () => {
    const agent = await newAgent()
    await fundEth(agent.address)
    const recipients = [randomAddress(), randomAddress(), randomAddress()]
    const hashes = await Promise.all(
      recipients.map((to) => sendCalls(agent, { calls: [{ to, value: parseEther('0.001') }] })),
    )
    const receipts = await Promise.all(hashes.map((hash) => waitForCalls(agent, { hash })))
    expect(receipts.every((r) => r.success)).toBe(true)
    // Ops after the deploying one ran under distinct nonce keys (the upper 192 bits of the nonce).
    const keys = new Set(receipts.map((r) => r.nonce >> 64n))
    expect(keys.size).toBeGreaterThanOrEqual(2)
    for (const to of recipients) expect(await publicClient.getBalance({ address: to })).toBe(parseEther('0.001'))
  })

  test('a reverting call surfaces as UserOperationRevertedError and moves nothing', async () => {
    const agent = await newAgent()
    await fundEth(agent.address)
    await executeCalls(agent, { calls: [{ to: randomAddress(), value: 1n }] })
    const before = await usdBalance(agent.address)
    const to = randomAddress()
    // Transferring more Seed USD than the account holds reverts inside the batch; gas estimation catches it first.
    const error = await executeCalls(agent, {
      calls: [
        { to, value: parseEther('0.01') },
        {
          to: manifest.contracts.usd,
          data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, 1n] }),
        },
      ],
    }).catch((e) => e)
    expect(error).toBeInstanceOf(Error)
    expect(await publicClient.getBalance({ address: to })).toBe(0n)
    expect(await usdBalance(agent.address)).toBe(before)
  })
})
