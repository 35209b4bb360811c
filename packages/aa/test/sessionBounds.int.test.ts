/**
 * Attack 6 of issue 11: a leaked session key is bounded on-chain in gas (its own budget and fee caps, even when
 * it bundles its own ops), in tokens whatever the selector, in time (rolling periods), and by revocation.
 */
import { SeedAccountAbi, TestTokenAbi, TestTokenBytecode } from '@seed/contracts'
import { type Address, encodeFunctionData, erc20Abi, parseEther, parseGwei, parseUnits } from 'viem'
import { entryPoint07Abi, entryPoint07Address, toPackedUserOperation } from 'viem/account-abstraction'
import { describe, expect, test } from 'vitest'
import type { AgentAccount } from '../src/account/createAgentAccount.ts'
import { getUserOperationGasPrice } from '../src/account/fees.ts'
import { executeCalls } from '../src/account/sendCalls.ts'
import {
  ANY_SELECTOR,
  depositGasCall,
  ETH_TRANSFER_SELECTOR,
  grantSessionKey,
  revokeSessionKey,
  type SessionScope,
} from '../src/account/sessionKeys.ts'
import { MAX_SESSION_OP_VALIDITY } from '../src/account/signatureTypedData.ts'
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

/**
 * Waits (wall clock) until the devnet's latest block is at or past `timestamp`. No clock warping: the bundler
 * checks an op's validity window against its own wall clock, so a chain warped ahead would make it refuse every
 * later session op of the run as "not valid yet".
 */
async function waitForChainTime(timestamp: bigint) {
  for (;;) {
    const hash = await funder.sendTransaction({ to: funder.account.address, value: 0n }) // mines a block (automine)
    const { blockNumber } = await publicClient.waitForTransactionReceipt({ hash })
    if ((await publicClient.getBlock({ blockNumber })).timestamp >= timestamp) return
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** An owner account with ETH and USD, and a session on it with `scope`. */
async function sessionOn(scope: SessionScope) {
  const owner = await newAgent()
  await fundEth(owner.address, parseEther('2'))
  await fundUsd(owner.address, parseUnits('100', 6))
  const key = randomAccount()
  const granted = await grantSessionKey(owner, { sessionKey: key.address, ...scope })
  const grantedAt = (await publicClient.getBlock({ blockNumber: granted.receipt.blockNumber })).timestamp
  const session = await newAgent({ sessionKey: key, ownerAddress: owner.account.ownerAddress, address: owner.address })
  return { owner, session, key, grantedAt }
}

async function deployTestToken() {
  const hash = await funder.deployContract({ abi: TestTokenAbi, bytecode: TestTokenBytecode, args: ['Test', 'TST'] })
  const { contractAddress } = await publicClient.waitForTransactionReceipt({ hash })
  return contractAddress as Address
}

async function mintTestToken(token: Address, to: Address, amount: bigint) {
  const hash = await funder.writeContract({
    address: token,
    abi: TestTokenAbi,
    functionName: 'mint',
    args: [to, amount],
  })
  await publicClient.waitForTransactionReceipt({ hash })
}

/** The session key signs an op with gas fields of its choosing, as a key holder bundling its own ops would. */
async function selfBundled(
  session: AgentAccount,
  calls: { to: Address; value?: bigint; data?: `0x${string}` }[],
  gas: object,
) {
  const op = await session.bundler.prepareUserOperation({
    account: session.account,
    calls,
    callGasLimit: 100_000n,
    verificationGasLimit: 300_000n,
    preVerificationGas: 100_000n,
    ...(await getUserOperationGasPrice(session.bundler)),
    ...gas,
  } as never)
  return { ...(op as object), signature: await session.account.signUserOperation(op as never) }
}

/** handleOps sent by the key holder's own EOA, paying itself as beneficiary. */
const handleOps = (op: object, beneficiary: Address) =>
  funder.writeContract({
    address: entryPoint07Address,
    abi: entryPoint07Abi,
    functionName: 'handleOps',
    args: [[toPackedUserOperation(op as never)], beneficiary],
  })

const usdCall = (functionName: 'transfer' | 'approve', spender: Address, amount: bigint) => ({
  to: manifest.contracts.usd,
  data: encodeFunctionData({ abi: erc20Abi, functionName, args: [spender, amount] }),
})

describe('a leaked session key is bounded on-chain', () => {
  test('bundling its own ops with a huge preVerificationGas or fee, it cannot drain the deposit', async () => {
    const shop = randomAddress()
    const { owner, session, key } = await sessionOn({
      permissions: [{ target: shop, selector: ETH_TRANSFER_SELECTOR }],
      valueLimit: parseEther('0.1'),
      gasBudget: parseEther('0.01'),
    })
    // The deposit holds more than this session's budget (the owner's own ops, other sessions).
    await executeCalls(owner, { calls: [depositGasCall(owner.address, parseEther('0.5'))] })
    const deposit = () =>
      publicClient.readContract({ address: owner.address, abi: SeedAccountAbi, functionName: 'getDeposit' })
    const depositBefore = await deposit()
    const attacker = randomAddress()

    // Prefund 0.34 ETH fits the deposit, and the attacker as beneficiary would pocket the fees.
    const hugePreVerificationGas = await selfBundled(session, [{ to: shop, value: 1n }], {
      preVerificationGas: 3_000_000n,
      maxFeePerGas: parseGwei('100'),
      maxPriorityFeePerGas: parseGwei('100'),
    })
    await expect(handleOps(hugePreVerificationGas, attacker)).rejects.toThrow(/AA24/)
    // Within the default fee caps, but its maximum cost (0.08 ETH) is over the session's 0.01 ETH budget.
    const overBudget = await selfBundled(session, [{ to: shop, value: 1n }], {
      preVerificationGas: 400_000n,
      maxFeePerGas: parseGwei('100'),
      maxPriorityFeePerGas: parseGwei('10'),
    })
    await expect(handleOps(overBudget, attacker)).rejects.toThrow(/AA24/)
    expect(await deposit()).toBe(depositBefore)
    expect(await publicClient.getBalance({ address: attacker })).toBe(0n)

    // An ordinary op through the bundler still fits the budget.
    await executeCalls(session, { calls: [{ to: shop, value: 1000n }] })
    expect(await publicClient.getBalance({ address: shop })).toBe(1000n)
    const [charged, caps] = await publicClient.readContract({
      address: owner.address,
      abi: SeedAccountAbi,
      functionName: 'sessionGas',
      args: [key.address],
    })
    expect(charged).toBeGreaterThan(0n) // its maximum cost, counted against the budget
    expect(charged).toBeLessThanOrEqual(caps.budget)
  })

  test("the SDK's session-op window is the account's MAX_SESSION_OP_VALIDITY", async () => {
    const { owner } = await sessionOn({ permissions: [] })
    const onChain = await publicClient.readContract({
      address: owner.address,
      abi: SeedAccountAbi,
      functionName: 'MAX_SESSION_OP_VALIDITY',
    })
    expect(onChain).toBe(MAX_SESSION_OP_VALIDITY)
  })

  test('a token limit holds for any selector: transferAndCall under ANY_SELECTOR is refused', async () => {
    const token = await deployTestToken()
    const thief = randomAddress()
    const { owner, session } = await sessionOn({
      permissions: [{ target: token, selector: ANY_SELECTOR }],
      tokenLimits: [{ token, limit: parseEther('1') }],
      gasBudget: parseEther('0.05'),
    })
    await mintTestToken(token, owner.address, parseEther('100'))
    const transferAndCall = {
      to: token,
      data: encodeFunctionData({
        abi: TestTokenAbi,
        functionName: 'transferAndCall',
        args: [thief, parseEther('50'), '0x'],
      }),
    }
    const op = await selfBundled(session, [transferAndCall], {})
    await expect(handleOps(op, funder.account.address)).rejects.toThrow(/AA24/)
    await expect(executeCalls(session, { calls: [transferAndCall] })).rejects.toThrow()
    const balance = (address: Address) =>
      publicClient.readContract({ address: token, abi: TestTokenAbi, functionName: 'balanceOf', args: [address] })
    expect(await balance(thief)).toBe(0n)
    // The counted selectors still work within the limit.
    await executeCalls(session, {
      calls: [
        {
          to: token,
          data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [thief, parseEther('1')] }),
        },
      ],
    })
    expect(await balance(thief)).toBe(parseEther('1'))
  })

  test('periods roll: a limit spent stays spent for a whole period, not until a fixed window ends', async () => {
    const PERIOD = 12
    const shop = randomAddress()
    const { session, grantedAt } = await sessionOn({
      permissions: [{ target: manifest.contracts.usd, selector: 'transfer(address,uint256)' }],
      tokenLimits: [{ token: manifest.contracts.usd, limit: parseUnits('1', 6) }],
      gasBudget: parseEther('0.05'),
      period: PERIOD,
    })
    // Spend the limit half a period after the grant...
    await waitForChainTime(grantedAt + BigInt(PERIOD / 2))
    const spent = await executeCalls(session, { calls: [usdCall('transfer', shop, parseUnits('1', 6))] })
    const spentAt = (await publicClient.getBlock({ blockNumber: spent.receipt.blockNumber })).timestamp
    // ...then a window fixed at the grant has reset, but less than a period has passed since the spend.
    await waitForChainTime(grantedAt + BigInt(PERIOD))
    await expect(executeCalls(session, { calls: [usdCall('transfer', shop, 1n)] })).rejects.toThrow(
      /TokenLimitExceeded|0x78e52eb9/,
    )
    expect((await publicClient.getBlock()).timestamp).toBeLessThan(spentAt + BigInt(PERIOD)) // the check was in time
    // A spend frees up at most 4/3 of a period later.
    await waitForChainTime(spentAt + BigInt((PERIOD * 4) / 3))
    await executeCalls(session, { calls: [usdCall('transfer', shop, parseUnits('1', 6))] })
    expect(await usdBalance(shop)).toBe(parseUnits('2', 6))
  })

  test('revocation ends what the session approved: its allowances are reset to zero', async () => {
    const spender = randomAddress()
    const { owner, session, key } = await sessionOn({
      permissions: [{ target: manifest.contracts.usd, selector: 'approve(address,uint256)' }],
      tokenLimits: [{ token: manifest.contracts.usd, limit: parseUnits('10', 6) }],
      gasBudget: parseEther('0.05'),
    })
    await executeCalls(session, { calls: [usdCall('approve', spender, parseUnits('5', 6))] })
    const allowance = () =>
      publicClient.readContract({
        address: manifest.contracts.usd,
        abi: erc20Abi,
        functionName: 'allowance',
        args: [owner.address, spender],
      })
    expect(await allowance()).toBe(parseUnits('5', 6))
    await revokeSessionKey(owner, { sessionKey: key.address })
    expect(await allowance()).toBe(0n)
    await expect(executeCalls(session, { calls: [usdCall('approve', spender, 1n)] })).rejects.toThrow()
  })
})
