import { SeedAccountAbi } from '@seed/contracts'
import { devPrivateKey } from '@seed/devnet'
import { decodeErrorResult, encodeFunctionData, erc20Abi, parseEther, parseEventLogs, parseUnits } from 'viem'
import {
  entryPoint07Abi,
  entryPoint07Address,
  formatUserOperationRequest,
  toPackedUserOperation,
} from 'viem/account-abstraction'
import { privateKeyToAccount } from 'viem/accounts'
import { beforeAll, describe, expect, test } from 'vitest'
import type { AgentAccount } from '../src/account/createAgentAccount.ts'
import { getUserOperationGasPrice } from '../src/account/fees.ts'
import { executeCalls } from '../src/account/sendCalls.ts'
import {
  depositGasCall,
  ETH_TRANSFER_SELECTOR,
  getSession,
  grantSessionKey,
  revokeSessionKey,
  sessionPaymasterCall,
} from '../src/account/sessionKeys.ts'
import { approveTokenPaymaster, tokenPaymaster } from '../src/paymaster/tokenPaymaster.ts'
import { verifyingPaymaster } from '../src/paymaster/verifyingPaymaster.ts'
import {
  fundEth,
  funder,
  fundUsd,
  manifest,
  newAgent,
  publicClient,
  randomAccount,
  randomAddress,
  usdBalance,
} from './fixtures.ts'

const usdTransfer = (to: `0x${string}`, amount: bigint) => ({
  to: manifest.contracts.usd,
  data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] }),
})

/** Builds and signs a session op with fixed gas, skipping the bundler's estimation (which would refuse it). */
async function signedWithoutEstimation(agent: AgentAccount, calls: Parameters<typeof agent.account.encodeCalls>[0]) {
  const fees = await getUserOperationGasPrice(agent.bundler)
  const op = await agent.bundler.prepareUserOperation({
    account: agent.account,
    calls,
    callGasLimit: 300_000n,
    verificationGasLimit: 300_000n,
    preVerificationGas: 100_000n,
    ...fees,
  } as never)
  return { ...(op as object), signature: await agent.account.signUserOperation(op as never) }
}

describe('session keys enforced on-chain', () => {
  const shop = randomAddress()
  const sessionKey = randomAccount()
  let owner: AgentAccount
  let session: AgentAccount

  beforeAll(async () => {
    owner = await newAgent()
    await fundEth(owner.address, parseEther('2'))
    await fundUsd(owner.address, parseUnits('100', 6))
    await grantSessionKey(owner, {
      sessionKey: sessionKey.address,
      gasBudget: parseEther('0.5'),
      permissions: [
        { target: shop, selector: ETH_TRANSFER_SELECTOR },
        { target: manifest.contracts.usd, selector: 'transfer(address,uint256)' },
      ],
      valueLimit: parseEther('0.1'),
      tokenLimits: [{ token: manifest.contracts.usd, limit: parseUnits('10', 6) }],
      period: 3600,
    })
    session = await newAgent({ sessionKey, ownerAddress: owner.account.ownerAddress, address: owner.address })
  })

  test('the grant is on-chain and the session key spends within its scope', async () => {
    expect(await getSession(owner, sessionKey.address)).toMatchObject({ period: 3600 })
    expect(session.address).toBe(owner.address)
    await executeCalls(session, {
      calls: [{ to: shop, value: parseEther('0.05') }, usdTransfer(shop, parseUnits('8', 6))],
    })
    expect(await publicClient.getBalance({ address: shop })).toBe(parseEther('0.05'))
    expect(await usdBalance(shop)).toBe(parseUnits('8', 6))
    const [spent, limit] = await publicClient.readContract({
      address: owner.address,
      abi: SeedAccountAbi,
      functionName: 'sessionAllowance',
      args: [sessionKey.address, manifest.contracts.usd],
    })
    expect([spent, limit]).toEqual([parseUnits('8', 6), parseUnits('10', 6)])
  })

  test('overspending is refused by the account even when the op bypasses all off-chain checks', async () => {
    const usdBefore = await usdBalance(shop)
    const ethBefore = await publicClient.getBalance({ address: shop })

    // 1) Straight to the bundler, no estimation: it is refused or lands reverted; nothing moves.
    const op = await signedWithoutEstimation(session, [usdTransfer(shop, parseUnits('3', 6))])
    const sent = await session.bundler
      .request({
        method: 'eth_sendUserOperation',
        params: [formatUserOperationRequest(op as never), entryPoint07Address],
      } as never)
      .then((hash) => session.bundler.waitForUserOperationReceipt({ hash: hash as `0x${string}` }))
      .catch((error: Error) => error)
    if (!(sent instanceof Error)) expect(sent.success).toBe(false)

    // 2) Straight to the EntryPoint from an EOA, no bundler at all: the op executes and the account reverts it.
    const op2 = await signedWithoutEstimation(session, [{ to: shop, value: parseEther('0.06') }])
    const hash = await funder.writeContract({
      address: entryPoint07Address,
      abi: entryPoint07Abi,
      functionName: 'handleOps',
      args: [[toPackedUserOperation(op2 as never)], funder.account.address],
    })
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    const [event] = parseEventLogs({ abi: entryPoint07Abi, logs: receipt.logs, eventName: 'UserOperationEvent' })
    expect(event!.args.success).toBe(false)
    const [revert] = parseEventLogs({
      abi: entryPoint07Abi,
      logs: receipt.logs,
      eventName: 'UserOperationRevertReason',
    })
    const reason = decodeErrorResult({ abi: SeedAccountAbi, data: revert!.args.revertReason })
    expect(reason.errorName).toBe('ValueLimitExceeded')

    expect(await usdBalance(shop)).toBe(usdBefore)
    expect(await publicClient.getBalance({ address: shop })).toBe(ethBefore)
  })

  test('out-of-scope targets, and admin calls signed by the session key, are refused', async () => {
    const stranger = randomAddress()
    await expect(executeCalls(session, { calls: [{ to: stranger, value: 1n }] })).rejects.toThrow()
    // Straight to the EntryPoint: the scope is checked in validation, so the op is refused before it runs (AA24)
    // and a leaked key can't even make the account pay gas for out-of-scope calls.
    const outOfScope = await signedWithoutEstimation(session, [{ to: stranger, value: 1n }])
    await expect(
      funder.writeContract({
        address: entryPoint07Address,
        abi: entryPoint07Abi,
        functionName: 'handleOps',
        args: [[toPackedUserOperation(outOfScope as never)], funder.account.address],
      }),
    ).rejects.toThrow(/AA24/)
    expect(await publicClient.getBalance({ address: stranger })).toBe(0n)

    // The session key signs an op that calls the account's admin function directly: validation fails (AA24).
    const sneaky = await signedWithoutEstimation(session, [])
    const grantCall = encodeFunctionData({
      abi: SeedAccountAbi,
      functionName: 'revokeSessionKey',
      args: [sessionKey.address],
    })
    const tampered = { ...sneaky, callData: grantCall }
    const signed = { ...tampered, signature: await session.account.signUserOperation(tampered as never) }
    await expect(
      funder.writeContract({
        address: entryPoint07Address,
        abi: entryPoint07Abi,
        functionName: 'handleOps',
        args: [[toPackedUserOperation(signed as never)], funder.account.address],
      }),
    ).rejects.toThrow(/AA24/)
  })

  test('the owner revokes the session key at once: its next op is rejected', async () => {
    await revokeSessionKey(owner, { sessionKey: sessionKey.address })
    expect(await getSession(owner, sessionKey.address)).toBeUndefined()
    const before = await publicClient.getBalance({ address: shop })
    await expect(executeCalls(session, { calls: [{ to: shop, value: 1n }] })).rejects.toThrow()
    expect(await publicClient.getBalance({ address: shop })).toBe(before)
  })
})

/** Waits (wall clock) until the devnet's next block is at or past `timestamp`; no clock warping on the shared devnet. */
async function waitForChainTime(timestamp: bigint) {
  for (;;) {
    const hash = await funder.sendTransaction({ to: funder.account.address, value: 0n }) // mines a block (automine)
    const { blockNumber } = await publicClient.waitForTransactionReceipt({ hash })
    if ((await publicClient.getBlock({ blockNumber })).timestamp >= timestamp) return
    await new Promise((r) => setTimeout(r, 500))
  }
}

describe('session expiry', () => {
  test('an expired session is rejected (rolling periods: sessionBounds.int.test.ts)', async () => {
    const owner = await newAgent()
    await fundEth(owner.address, parseEther('1'))
    await fundUsd(owner.address, parseUnits('10', 6))
    await executeCalls(owner, { calls: [{ to: randomAddress(), value: 1n }] }) // deploy first: the grant is timed
    const key = randomAccount()
    const shop = randomAddress()
    const { timestamp } = await publicClient.getBlock()
    const LIFETIME = 8
    await grantSessionKey(owner, {
      sessionKey: key.address,
      gasBudget: parseEther('0.2'),
      permissions: [{ target: manifest.contracts.usd, selector: 'transfer(address,uint256)' }],
      tokenLimits: [{ token: manifest.contracts.usd, limit: parseUnits('1', 6) }],
      validUntil: Number(timestamp) + LIFETIME,
    })
    const session = await newAgent({
      sessionKey: key,
      ownerAddress: owner.account.ownerAddress,
      address: owner.address,
    })
    await executeCalls(session, { calls: [usdTransfer(shop, parseUnits('1', 6))] })

    await waitForChainTime(timestamp + BigInt(LIFETIME) + 1n)
    // Refused in simulation: AA22 (validUntil passed) or the account's own SessionNotActive(key) = 0x9712a5c4.
    await expect(executeCalls(session, { calls: [usdTransfer(shop, 1n)] })).rejects.toThrow(/AA22|expired|0x9712a5c4/i)
    expect(await usdBalance(shop)).toBe(parseUnits('1', 6))
  })
})

/** A fresh session key of `owner` that may send up to 0.1 ETH to a fresh shop, and its agent. */
async function shopSession(owner: AgentAccount, gasBudget?: bigint) {
  const shop = randomAddress()
  const key = randomAccount()
  await grantSessionKey(owner, {
    sessionKey: key.address,
    permissions: [{ target: shop, selector: ETH_TRANSFER_SELECTOR }],
    valueLimit: parseEther('0.1'),
    gasBudget,
  })
  const session = await newAgent({ sessionKey: key, ownerAddress: owner.account.ownerAddress, address: owner.address })
  return { shop, session }
}

describe('session gas', () => {
  test("a session key never pays gas from the account's ETH balance, only from its own gas budget", async () => {
    const owner = await newAgent()
    await fundEth(owner.address, parseEther('1'))
    const { shop, session } = await shopSession(owner)
    const deposit = () =>
      publicClient.readContract({ address: owner.address, abi: SeedAccountAbi, functionName: 'getDeposit' })
    const balanceBefore = await publicClient.getBalance({ address: owner.address })
    const depositBefore = await deposit() // only the owner op's unused prefund, too little for another op

    // No gas budget: the account refuses to pay the prefund from its balance, so nothing happens.
    await expect(executeCalls(session, { calls: [{ to: shop, value: 1000n }] })).rejects.toThrow()
    expect(await publicClient.getBalance({ address: owner.address })).toBe(balanceBefore)
    expect(await publicClient.getBalance({ address: shop })).toBe(0n)
    expect(await deposit()).toBe(depositBefore)

    // ETH in the EntryPoint deposit is not enough: this session was granted no gas budget.
    await executeCalls(owner, { calls: [depositGasCall(owner.address, parseEther('0.1'))] })
    const depositFunded = await deposit()
    await expect(executeCalls(session, { calls: [{ to: shop, value: 1000n }] })).rejects.toThrow()
    expect(await deposit()).toBe(depositFunded)

    // A session granted a budget runs, and its gas comes out of the deposit.
    const funded = await shopSession(owner, parseEther('0.01'))
    const balanceFunded = await publicClient.getBalance({ address: owner.address })
    await executeCalls(funded.session, { calls: [{ to: funded.shop, value: 1000n }] })
    expect(await publicClient.getBalance({ address: funded.shop })).toBe(1000n)
    expect(await publicClient.getBalance({ address: owner.address })).toBe(balanceFunded - 1000n)
    expect(await deposit()).toBeLessThan(depositBefore + parseEther('0.11'))
  })

  test('a session key cannot spend Seed USD on gas through the token paymaster; a sponsor the owner allows pays', async () => {
    const owner = await newAgent()
    await fundEth(owner.address, parseEther('1'))
    await fundUsd(owner.address, parseUnits('100', 6))
    // The owner pays gas in USD itself, so the account has approved the token paymaster.
    await executeCalls(owner, {
      calls: [approveTokenPaymaster({ token: manifest.contracts.usd, paymaster: manifest.contracts.tokenPaymaster })],
    })
    const { shop, session } = await shopSession(owner)
    const usdBefore = await usdBalance(owner.address)
    const ethBefore = await publicClient.getBalance({ address: owner.address })

    // The token paymaster would charge the account's USD outside the session's limits: validation refuses.
    await expect(
      executeCalls(session, {
        calls: [{ to: shop, value: 1000n }],
        paymaster: tokenPaymaster({ address: manifest.contracts.tokenPaymaster }),
      }),
    ).rejects.toThrow(/AA24|signature/i)
    expect(await usdBalance(owner.address)).toBe(usdBefore)
    expect(await publicClient.getBalance({ address: shop })).toBe(0n)

    // A sponsor that signs each op is allowed by the owner: the session op runs and the account pays nothing.
    await executeCalls(owner, { calls: [sessionPaymasterCall(owner.address, manifest.contracts.verifyingPaymaster)] })
    const ethAllowed = await publicClient.getBalance({ address: owner.address })
    expect(ethAllowed).toBeLessThan(ethBefore) // the owner's op paid its own gas
    const sponsor = privateKeyToAccount(devPrivateKey('sponsor'))
    const sponsored = verifyingPaymaster({
      address: manifest.contracts.verifyingPaymaster,
      sponsor,
      client: publicClient,
    })
    const receipt = await executeCalls(session, { calls: [{ to: shop, value: 1000n }], paymaster: sponsored })
    expect(receipt.success).toBe(true)
    expect(await publicClient.getBalance({ address: shop })).toBe(1000n)
    expect(await publicClient.getBalance({ address: owner.address })).toBe(ethAllowed - 1000n)
    expect(await usdBalance(owner.address)).toBe(usdBefore)
  })
})
