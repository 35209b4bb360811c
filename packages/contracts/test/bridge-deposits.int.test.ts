/**
 * Deposits through the SeedPortal and the L1StandardBridge (docs/decisions/0700): the exact interface event,
 * aliasing for contract callers, per-inbox nonce and escrow, L2 gas bought (burnt) on L1 and bounded per L1
 * block, and no deposit into a chain without a registered config.
 */
import {
  type Address,
  decodeEventLog,
  decodeFunctionData,
  encodeFunctionData,
  encodePacked,
  erc20Abi,
  getAddress,
  type Hex,
  parseEther,
  parseUnits,
  type TransactionReceipt,
} from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  applyL1ToL2Alias,
  BridgeNotConfiguredError,
  DEFAULT_ERC20_DEPOSIT_GAS,
  DepositGasError,
  depositErc20,
  depositEth,
  encodeFinalizeDeposit,
  FIRST_ERC20_DEPOSIT_GAS,
  InvalidBridgeConfigError,
  L1_STANDARD_BRIDGE,
  L1_STANDARD_BRIDGE_L2_ALIAS,
  L1StandardBridgeAbi,
  L2_STANDARD_BRIDGE,
  Multicall3Abi,
  Multicall3Bytecode,
  parseTransactionDeposited,
  RollupInboxAbi,
  RollupInboxBytecode,
  registerBridgeConfig,
  SEED_PORTAL,
  SeedPortalAbi,
  SeedUSDAbi,
  TestTokenAbi,
  undoL1ToL2Alias,
} from '../src/index.ts'
import { type BridgeL1, createAgentChain, startBridgeL1 } from './bridge-chain.ts'

let env: BridgeL1
beforeAll(async () => {
  env = await startBridgeL1()
})
afterAll(async () => {
  await env?.stop()
})

const escrowOf = (inbox: Address) =>
  env.l1.readContract({ address: SEED_PORTAL, abi: SeedPortalAbi, functionName: 'ethEscrow', args: [inbox] })

/** The portal's deposit logs of a receipt, with the raw opaqueData next to the decoded one. */
function depositsOf(receipt: TransactionReceipt) {
  return parseTransactionDeposited(receipt.logs).map((d, i) => {
    const raw = receipt.logs.filter((l) => getAddress(l.address) === getAddress(SEED_PORTAL))[i]!
    return { ...d, raw }
  })
}

describe('ETH deposits', () => {
  test('an EOA deposit emits the interface event: opaqueData byte-exact, sender not aliased, nonces and escrow per inbox', async () => {
    const a = await createAgentChain(env)
    const b = await createAgentChain(env)
    const user = env.dev('user')
    const to = getAddress('0x00000000000000000000000000000000000000aa')
    const data = '0xdeadbeef' as const
    const first = await env.send(
      user,
      await depositEth(env.l1, {
        inbox: a.inbox,
        to,
        amount: parseEther('1.5'),
        value: parseEther('1'),
        gasLimit: 120_000n,
        data,
      }),
    )
    const [event] = depositsOf(first)
    expect(event).toMatchObject({ inbox: a.inbox, from: user.address, to, nonce: 0n })
    // The event's bytes are exactly abi.encodePacked(mint, value, gasLimit, isCreation, data) of the interface.
    const expected = encodePacked(
      ['uint256', 'uint256', 'uint64', 'bool', 'bytes'],
      [parseEther('1.5'), parseEther('1'), 120_000n, false, data],
    )
    const { args } = decodeEventLog({ abi: SeedPortalAbi, eventName: 'TransactionDeposited', ...event!.raw })
    expect(args.opaqueData).toBe(expected)
    expect(event!.opaque).toEqual({
      mint: parseEther('1.5'),
      value: parseEther('1'),
      gasLimit: 120_000n,
      isCreation: false,
      data,
    })
    expect(event!.raw.topics.length).toBe(4)

    const second = await env.send(user, await depositEth(env.l1, { inbox: a.inbox, to, amount: 1n }))
    expect(depositsOf(second)[0]!.nonce).toBe(1n)
    // The other chain counts its own deposits from 0 and holds its own ETH.
    const other = await env.send(user, await depositEth(env.l1, { inbox: b.inbox, to, amount: 7n }))
    expect(depositsOf(other)[0]!.nonce).toBe(0n)
    expect(await escrowOf(a.inbox)).toBe(parseEther('1.5') + 1n)
    expect(await escrowOf(b.inbox)).toBe(7n)
  })

  test('a contract caller is aliased (+0x1111…1111), as OP does', async () => {
    const a = await createAgentChain(env)
    const user = env.dev('user')
    const deployHash = await env
      .walletOf(user)
      .deployContract({ abi: Multicall3Abi, bytecode: Multicall3Bytecode, chain: env.chain })
    const multicall = (await env.l1.waitForTransactionReceipt({ hash: deployHash })).contractAddress!
    const deposit = await depositEth(env.l1, { inbox: a.inbox, to: user.address, amount: 0n })
    const receipt = await env.send(user, {
      to: multicall,
      data: encodeFunctionData({
        abi: Multicall3Abi,
        functionName: 'aggregate3',
        args: [[{ target: deposit.to, allowFailure: false, callData: deposit.data }]],
      }),
    })
    const [event] = depositsOf(receipt)
    expect(event!.from).toBe(applyL1ToL2Alias(multicall))
    expect(undoL1ToL2Alias(event!.from)).toBe(getAddress(multicall))
    expect(applyL1ToL2Alias('0xffffffffffffffffffffffffffffffffffffffff')).toBe(
      getAddress('0x1111000000000000000000000000000000001110'),
    )
  })

  test('a contract creation deposit must have no target', async () => {
    const a = await createAgentChain(env)
    const call = {
      to: SEED_PORTAL,
      data: encodeFunctionData({
        abi: SeedPortalAbi,
        functionName: 'depositTransaction',
        args: [a.inbox, env.dev('user').address, 0n, 100_000n, true, '0x60006000'],
      }),
    }
    expect((await env.revertOf(env.dev('user'), call)).errorName).toBe('BadCreation')
  })
})

describe('ERC-20 deposits through the L1StandardBridge', () => {
  for (const which of ['TestToken', 'SeedUSD'] as const) {
    test(`${which}: escrowed per inbox, a portal deposit from the bridge's alias calling L2StandardBridge.finalizeDeposit`, async () => {
      const a = await createAgentChain(env)
      const user = env.dev('user')
      const token = which === 'TestToken' ? env.addresses.testToken : env.addresses.usd
      const amount = which === 'TestToken' ? parseEther('3') : parseUnits('25', 6)
      // TestToken: anyone mints; Seed USD: its owner (the devnet deployer) mints.
      const minter = which === 'TestToken' ? user : env.dev('deployer')
      await env.send(minter, {
        to: token,
        data: encodeFunctionData({
          abi: which === 'TestToken' ? TestTokenAbi : SeedUSDAbi,
          functionName: 'mint',
          args: [user.address, amount],
        }),
      })
      const to = getAddress('0x00000000000000000000000000000000000000bb')
      // The token's first deposit to this chain creates its L2 twin: less gas than that is refused here,
      // since the L2 call would fail and leave the tokens escrowed with nothing minted.
      await expect(
        depositErc20(env.l1, { inbox: a.inbox, token, owner: user.address, to, amount, gasLimit: 250_000n }),
      ).rejects.toBeInstanceOf(DepositGasError)
      const calls = await depositErc20(env.l1, { inbox: a.inbox, token, owner: user.address, to, amount })
      expect(calls.map((c) => c.to)).toEqual([token, L1_STANDARD_BRIDGE])
      let receipt: TransactionReceipt | undefined
      for (const call of calls) receipt = await env.send(user, call)
      const [event] = depositsOf(receipt!)
      expect(event).toMatchObject({
        inbox: a.inbox,
        from: L1_STANDARD_BRIDGE_L2_ALIAS,
        to: L2_STANDARD_BRIDGE,
        nonce: 0n,
      })
      expect(event!.opaque).toEqual({
        mint: 0n,
        value: 0n,
        gasLimit: FIRST_ERC20_DEPOSIT_GAS,
        isCreation: false,
        data: encodeFinalizeDeposit({ l1Token: token, from: user.address, to, amount }),
      })
      expect(
        await env.l1.readContract({
          address: L1_STANDARD_BRIDGE,
          abi: L1StandardBridgeAbi,
          functionName: 'escrow',
          args: [a.inbox, token],
        }),
      ).toBe(amount)
      expect(
        await env.l1.readContract({
          address: token,
          abi: erc20Abi,
          functionName: 'balanceOf',
          args: [L1_STANDARD_BRIDGE],
        }),
      ).toBeGreaterThanOrEqual(amount)
      // Allowance now spent: a second deposit asks for a new approve; with an allowance, only the deposit.
      const second = await depositErc20(env.l1, { inbox: a.inbox, token, owner: user.address, to, amount: 1n })
      expect(second).toHaveLength(2)
      // Once the chain holds the token, a deposit is a mint to the existing twin: the default gas.
      expect(decodeFunctionData({ abi: L1StandardBridgeAbi, data: second[1]!.data }).args?.[4]).toBe(
        DEFAULT_ERC20_DEPOSIT_GAS,
      )
    })
  }

  test('the bridge pays out only to the portal relaying an L2StandardBridge withdrawal of that inbox', async () => {
    const a = await createAgentChain(env)
    const call = {
      to: L1_STANDARD_BRIDGE,
      data: encodeFunctionData({
        abi: L1StandardBridgeAbi,
        functionName: 'finalizeWithdrawal',
        args: [a.inbox, env.addresses.testToken, env.dev('user').address, env.dev('user').address, 1n],
      }),
    }
    expect((await env.revertOf(env.dev('user'), call)).errorName).toBe('NotFromL2Bridge')
  })
})

describe('deposit gas', () => {
  test('is bought on L1: the deposit burns L1 gas in proportion to the L2 gas it buys', async () => {
    const a = await createAgentChain(env)
    const user = env.dev('user')
    // A first deposit sets the chain's counters, so the two compared write the same storage.
    await env.send(user, await depositEth(env.l1, { inbox: a.inbox, to: user.address, amount: 1n }))
    const small = await env.send(
      user,
      await depositEth(env.l1, { inbox: a.inbox, to: user.address, amount: 1n, gasLimit: 100_000n }),
    )
    const large = await env.send(
      user,
      await depositEth(env.l1, { inbox: a.inbox, to: user.address, amount: 1n, gasLimit: 1_100_000n }),
    )
    // One L2 gas is priced at 1 gwei and paid by burning L1 gas at the block's base fee (at least 1 gwei).
    const burnt = async (receipt: TransactionReceipt, gasLimit: bigint) => {
      const { baseFeePerGas } = await env.l1.getBlock({ blockNumber: receipt.blockNumber })
      return (gasLimit * 10n ** 9n) / (baseFeePerGas! > 10n ** 9n ? baseFeePerGas! : 10n ** 9n)
    }
    const expected = (await burnt(large, 1_100_000n)) - (await burnt(small, 100_000n))
    expect(expected).toBeGreaterThan(500_000n)
    const extra = large.gasUsed - small.gasUsed
    expect(extra).toBeGreaterThanOrEqual(expected)
    expect(extra).toBeLessThan(expected + 30_000n)
  })

  test('below the minimum (21,000 + 40 per data byte) is refused', async () => {
    const a = await createAgentChain(env)
    const user = env.dev('user')
    const error = await depositEth(env.l1, {
      inbox: a.inbox,
      to: user.address,
      amount: 1n,
      gasLimit: 21_000n,
      data: '0x01',
    }).catch((e) => e)
    expect(error).toBeInstanceOf(DepositGasError)
    const call = {
      to: SEED_PORTAL,
      data: encodeFunctionData({
        abi: SeedPortalAbi,
        functionName: 'depositTransaction',
        args: [a.inbox, user.address, 0n, 21_039n, false, '0x01'],
      }),
    }
    expect(await env.revertOf(user, call)).toMatchObject({ errorName: 'GasLimitTooLow', args: [21_039n, 21_040n] })
  })

  test('is bounded per L1 block: deposits past the chain’s budget in one block revert, the next block has a fresh one', async () => {
    const a = await createAgentChain(env, { maxDepositGasPerBlock: 300_000n })
    const user = env.dev('user')
    const call = (gasLimit: bigint): { to: Address; data: Hex; value: bigint } => ({
      to: SEED_PORTAL,
      data: encodeFunctionData({
        abi: SeedPortalAbi,
        functionName: 'depositTransaction',
        args: [a.inbox, user.address, 0n, gasLimit, false, '0x'],
      }),
      value: 0n,
    })
    await env.l1.request({ method: 'evm_setAutomine' as never, params: [false] as never })
    const wallet = env.walletOf(user)
    const nonce = await env.l1.getTransactionCount({ address: user.address })
    const hashes = [
      await wallet.sendTransaction({ ...call(200_000n), gas: 500_000n, nonce, chain: env.chain }),
      await wallet.sendTransaction({ ...call(200_000n), gas: 500_000n, nonce: nonce + 1, chain: env.chain }),
    ]
    await env.l1.request({ method: 'evm_mine' as never, params: [] as never })
    await env.l1.request({ method: 'evm_setAutomine' as never, params: [true] as never })
    const receipts = await Promise.all(hashes.map((hash) => env.l1.waitForTransactionReceipt({ hash })))
    expect(receipts[0]!.blockNumber).toBe(receipts[1]!.blockNumber)
    expect(receipts.map((r) => r.status)).toEqual(['success', 'reverted'])
    // A new block: the budget is whole again (mined first: calls simulate on the latest block); the action
    // refuses what no block could take.
    await env.l1.request({ method: 'evm_mine' as never, params: [] as never })
    await env.send(user, call(300_000n))
    const over = await depositEth(env.l1, { inbox: a.inbox, to: user.address, amount: 1n, gasLimit: 300_001n }).catch(
      (e) => e,
    )
    expect(over).toBeInstanceOf(DepositGasError)
  })
})

describe('chains without a bridge config', () => {
  test('a deposit to an inbox with no registered config is refused (portal and action)', async () => {
    const a = await createAgentChain(env, { register: false })
    const user = env.dev('user')
    expect(await depositEth(env.l1, { inbox: a.inbox, to: user.address, amount: 1n }).catch((e) => e)).toBeInstanceOf(
      BridgeNotConfiguredError,
    )
    const call = {
      to: SEED_PORTAL,
      data: encodeFunctionData({
        abi: SeedPortalAbi,
        functionName: 'depositTransaction',
        args: [a.inbox, user.address, 0n, 100_000n, false, '0x'],
      }),
      value: 1n,
    }
    expect(await env.revertOf(user, call)).toMatchObject({ errorName: 'NoConfig', args: [a.inbox] })
  })

  test('only the inbox owner registers, once, and only for an inbox of the factory', async () => {
    const a = await createAgentChain(env)
    const again = registerBridgeConfig({ inbox: a.inbox, config: a.config })
    expect((await env.revertOf(a.owner, again)).errorName).toBe('ConfigExists')
    const b = await createAgentChain(env, { register: false })
    expect(
      (await env.revertOf(env.dev('user'), registerBridgeConfig({ inbox: b.inbox, config: b.config }))).errorName,
    ).toBe('NotInboxOwner')
    // An inbox deployed outside the factory: any contract could claim to be one.
    const user = env.dev('user')
    const hash = await env.walletOf(user).deployContract({
      abi: RollupInboxAbi,
      bytecode: RollupInboxBytecode,
      args: [user.address, user.address],
      chain: env.chain,
    })
    const rogue = (await env.l1.waitForTransactionReceipt({ hash })).contractAddress!
    expect((await env.revertOf(user, registerBridgeConfig({ inbox: rogue, config: b.config }))).errorName).toBe(
      'UnknownInbox',
    )
    expect(() => registerBridgeConfig({ inbox: b.inbox, config: { ...b.config, threshold: 4n } })).toThrow(
      InvalidBridgeConfigError,
    )
  })
})
