import { SeedTokenPaymasterAbi, SeedVerifyingPaymasterAbi } from '@seed/contracts'
import { devPrivateKey } from '@seed/devnet'
import { encodeFunctionData, erc20Abi, parseEventLogs, parseUnits } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { executeCalls } from '../src/account/sendCalls.ts'
import { approveTokenPaymaster, tokenPaymaster } from '../src/paymaster/tokenPaymaster.ts'
import { verifyingPaymaster } from '../src/paymaster/verifyingPaymaster.ts'
import { fundUsd, manifest, newAgent, publicClient, randomAccount, randomAddress, usdBalance } from './fixtures.ts'

const sponsor = privateKeyToAccount(devPrivateKey('sponsor'))
const sponsored = verifyingPaymaster({ address: manifest.contracts.verifyingPaymaster, sponsor, client: publicClient })
const deposit = (paymaster: `0x${string}`) =>
  publicClient.readContract({ address: paymaster, abi: SeedVerifyingPaymasterAbi, functionName: 'getDeposit' })
const usdTransfer = (to: `0x${string}`, amount: bigint) => ({
  to: manifest.contracts.usd,
  data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] }),
})

describe('paymasters', () => {
  test('the verifying paymaster sponsors an account with no ETH, deployment included', async () => {
    expect(manifest.accounts.sponsor).toBe(sponsor.address)
    const agent = await newAgent({ paymaster: sponsored })
    await fundUsd(agent.address, parseUnits('5', 6))
    const depositBefore = await deposit(manifest.contracts.verifyingPaymaster)
    const to = randomAddress()
    const receipt = await executeCalls(agent, { calls: [usdTransfer(to, parseUnits('1', 6))] })
    expect(receipt.success).toBe(true)
    expect(receipt.paymaster?.toLowerCase()).toBe(manifest.contracts.verifyingPaymaster.toLowerCase())
    expect(await usdBalance(to)).toBe(parseUnits('1', 6))
    expect(await publicClient.getBalance({ address: agent.address })).toBe(0n)
    expect(await deposit(manifest.contracts.verifyingPaymaster)).toBe(depositBefore - receipt.actualGasCost)
  })

  test('a sponsorship signed by someone else than the sponsor is refused', async () => {
    const forged = verifyingPaymaster({
      address: manifest.contracts.verifyingPaymaster,
      sponsor: randomAccount(),
      client: publicClient,
    })
    const agent = await newAgent({ paymaster: forged })
    await expect(executeCalls(agent, { calls: [{ to: randomAddress(), value: 0n }] })).rejects.toThrow(
      /AA34|signature/i,
    )
    expect(await publicClient.getCode({ address: agent.address })).toBeUndefined()
  })

  test('the token paymaster charges the actual gas cost in Seed USD at the owner-set rate', async () => {
    const agent = await newAgent()
    await fundUsd(agent.address, parseUnits('100', 6))
    // The approval has to exist before the paymaster can charge: a sponsored first op sets it (and deploys).
    await executeCalls(agent, {
      calls: [approveTokenPaymaster({ token: manifest.contracts.usd, paymaster: manifest.contracts.tokenPaymaster })],
      paymaster: sponsored,
    })
    const usdBefore = await usdBalance(agent.address)
    const paymasterUsdBefore = await usdBalance(manifest.contracts.tokenPaymaster)
    const to = randomAddress()
    const receipt = await executeCalls(agent, {
      calls: [usdTransfer(to, parseUnits('1', 6))],
      paymaster: tokenPaymaster({ address: manifest.contracts.tokenPaymaster }),
    })
    expect(receipt.success).toBe(true)
    expect(await publicClient.getBalance({ address: agent.address })).toBe(0n)
    expect(await usdBalance(to)).toBe(parseUnits('1', 6))

    const [paid] = parseEventLogs({ abi: SeedTokenPaymasterAbi, logs: receipt.logs, eventName: 'GasPaidInToken' })
    const fee = paid!.args.tokenAmount
    const rate = await publicClient.readContract({
      address: manifest.contracts.tokenPaymaster,
      abi: SeedTokenPaymasterAbi,
      functionName: 'tokenPerEth',
    })
    expect(fee).toBeGreaterThan(0n)
    // The fee is the gas cost (plus the postOp allowance) converted at the rate, rounded up.
    expect(fee).toBe((paid!.args.gasCostWei * rate + 10n ** 18n - 1n) / 10n ** 18n)
    expect(paid!.args.gasCostWei).toBeGreaterThanOrEqual(receipt.actualGasCost)
    expect(await usdBalance(agent.address)).toBe(usdBefore - parseUnits('1', 6) - fee)
    expect(await usdBalance(manifest.contracts.tokenPaymaster)).toBe(paymasterUsdBefore + fee)
  })

  test('without an approval the token paymaster refuses the op', async () => {
    const agent = await newAgent({ paymaster: sponsored })
    await fundUsd(agent.address, parseUnits('10', 6))
    await executeCalls(agent, { calls: [{ to: randomAddress(), value: 0n }] }) // deploy, sponsored
    await expect(
      executeCalls(agent, {
        calls: [usdTransfer(randomAddress(), 1n)],
        paymaster: tokenPaymaster({ address: manifest.contracts.tokenPaymaster }),
      }),
    ).rejects.toThrow()
    expect(await usdBalance(agent.address)).toBe(parseUnits('10', 6))
  })
})
