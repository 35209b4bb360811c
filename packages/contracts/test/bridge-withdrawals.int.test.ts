/**
 * Withdrawals (docs/decisions/0700): proven with a real MPT storage proof of the message passer against a
 * posted output root, finalized after the challenge window, never twice, never re-proven after finalizing,
 * paid from the chain's own escrow only; ERC-20s through L1StandardBridge.finalizeWithdrawal.
 */
import { type Address, encodeFunctionData, erc20Abi, getAddress, parseEther, parseEventLogs } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  depositErc20,
  depositEth,
  finalizeWithdrawal,
  getWithdrawalStatus,
  hashWithdrawal,
  L1_STANDARD_BRIDGE,
  L1StandardBridgeAbi,
  L2_STANDARD_BRIDGE,
  proveWithdrawal,
  RollupInboxAbi,
  SEED_PORTAL,
  SeedPortalAbi,
  TestTokenAbi,
  type Withdrawal,
  WithdrawalNotReadyError,
} from '../src/index.ts'
import { type BridgeL1, createAgentChain, l2Withdrawal, messagePasserState, startBridgeL1 } from './bridge-chain.ts'

let env: BridgeL1
beforeAll(async () => {
  env = await startBridgeL1(31_416)
})
afterAll(async () => {
  await env?.stop()
})

const fresh = () => getAddress(privateKeyToAccount(generatePrivateKey()).address)
const portalCall = (functionName: 'proveWithdrawal' | 'finalizeWithdrawal', args: readonly unknown[]) => ({
  to: SEED_PORTAL,
  data: encodeFunctionData({ abi: SeedPortalAbi, functionName, args } as never),
})

/** A chain holding `escrow` wei, with `withdrawals` sent on L2 and committed by the output of a posted batch. */
async function chainWithWithdrawals(withdrawals: Withdrawal[], escrow = parseEther('2')) {
  const chain = await createAgentChain(env)
  if (escrow > 0n) {
    await env.send(env.dev('user'), await depositEth(env.l1, { inbox: chain.inbox, to: fresh(), amount: escrow }))
  }
  const state = await messagePasserState(withdrawals)
  const { index } = await chain.postBatch(state.outputRoot)
  const prove = async (w: Withdrawal) =>
    proveWithdrawal(env.l1, {
      inbox: chain.inbox,
      withdrawal: w,
      index,
      outputRootPreimage: state.preimage,
      storageProof: await state.proofOf(w),
    })
  return { ...chain, state, index, prove }
}

describe('ETH withdrawals', () => {
  test('prove, wait the window, finalize: the target is paid from the chain’s escrow; replay and re-prove refused', async () => {
    const recipient = fresh()
    const w = l2Withdrawal({ target: recipient, sender: fresh(), value: parseEther('1'), gasLimit: 50_000n })
    const other = l2Withdrawal({ target: fresh(), value: 1n })
    const chain = await chainWithWithdrawals([w, other])
    const relayer = env.dev('user')
    expect(await getWithdrawalStatus(env.l1, { inbox: chain.inbox, withdrawal: w })).toEqual({ status: 'not-proven' })

    await env.send(relayer, await chain.prove(w))
    const proven = await getWithdrawalStatus(env.l1, { inbox: chain.inbox, withdrawal: w })
    expect(proven.status).toBe('proven')
    // Proving twice against the same (still current) output is refused.
    await expect(chain.prove(w)).rejects.toMatchObject({ reason: 'already-proven' })
    const again = portalCall('proveWithdrawal', [
      chain.inbox,
      w,
      chain.index,
      chain.state.preimage,
      await chain.state.proofOf(w),
    ])
    expect((await env.revertOf(relayer, again)).errorName).toBe('AlreadyProven')

    // Before the window closes: refused, with the time it closes.
    const early = await finalizeWithdrawal(env.l1, { inbox: chain.inbox, withdrawal: w }).catch((e) => e)
    expect(early).toBeInstanceOf(WithdrawalNotReadyError)
    expect(early.reason).toBe('challenge-window-open')
    expect(early.readyAt).toBe((proven as { finalizableAt: bigint }).finalizableAt)
    expect((await env.revertOf(relayer, portalCall('finalizeWithdrawal', [chain.inbox, w]))).errorName).toBe(
      'ChallengeWindowOpen',
    )

    await env.travel(chain.config.challengeWindow)
    expect((await getWithdrawalStatus(env.l1, { inbox: chain.inbox, withdrawal: w })).status).toBe('ready')
    const receipt = await env.send(relayer, await finalizeWithdrawal(env.l1, { inbox: chain.inbox, withdrawal: w }))
    expect(await env.l1.getBalance({ address: recipient })).toBe(parseEther('1'))
    expect(
      await env.l1.readContract({
        address: SEED_PORTAL,
        abi: SeedPortalAbi,
        functionName: 'ethEscrow',
        args: [chain.inbox],
      }),
    ).toBe(parseEther('1'))
    expect(receipt.logs.some((l) => l.topics[2] === hashWithdrawal(w))).toBe(true)

    // Replayed finalize and prove-after-finalize: refused by the action and by the portal.
    await expect(finalizeWithdrawal(env.l1, { inbox: chain.inbox, withdrawal: w })).rejects.toMatchObject({
      reason: 'already-finalized',
    })
    expect((await env.revertOf(relayer, portalCall('finalizeWithdrawal', [chain.inbox, w]))).errorName).toBe(
      'AlreadyFinalized',
    )
    await expect(chain.prove(w)).rejects.toMatchObject({ reason: 'already-finalized' })
    expect((await env.revertOf(relayer, again)).errorName).toBe('AlreadyFinalized')
    expect(await env.l1.getBalance({ address: recipient })).toBe(parseEther('1'))
  })

  test('a withdrawal the L2 never sent, a forged output preimage, an unposted output: refused', async () => {
    const sent = l2Withdrawal({ target: fresh(), value: 1n })
    const chain = await chainWithWithdrawals([sent])
    const user = env.dev('user')
    const forged = { ...sent, value: parseEther('2') }
    // The sent withdrawal's proof does not prove the forged one (its hash, hence its key, differs).
    const forgedCall = portalCall('proveWithdrawal', [
      chain.inbox,
      forged,
      chain.index,
      chain.state.preimage,
      await chain.state.proofOf(sent),
    ])
    expect(await env.revertOf(user, forgedCall)).toMatchObject({
      errorName: 'Error',
      args: ['MerkleTrie: path remainder must share all nibbles with key'],
    })
    // A preimage that does not hash to the posted root.
    const badPreimage = { ...chain.state.preimage, stateRoot: chain.state.preimage.blockHash }
    const mismatch = portalCall('proveWithdrawal', [
      chain.inbox,
      sent,
      chain.index,
      badPreimage,
      await chain.state.proofOf(sent),
    ])
    expect((await env.revertOf(user, mismatch)).errorName).toBe('OutputRootMismatch')
    const unposted = portalCall('proveWithdrawal', [
      chain.inbox,
      sent,
      chain.index + 1n,
      chain.state.preimage,
      await chain.state.proofOf(sent),
    ])
    expect((await env.revertOf(user, unposted)).errorName).toBe('NoSuchOutput')
    // Unproven: cannot finalize, even after the window.
    await env.travel(chain.config.challengeWindow)
    const unproven = l2Withdrawal({ target: fresh() })
    expect((await env.revertOf(user, portalCall('finalizeWithdrawal', [chain.inbox, unproven]))).errorName).toBe(
      'NotProven',
    )
  })

  test('ETH comes from the chain’s own escrow only: another chain’s deposits never pay it', async () => {
    const rich = await chainWithWithdrawals([], parseEther('5'))
    const w = l2Withdrawal({ target: fresh(), value: parseEther('1') })
    const poor = await chainWithWithdrawals([w], 0n)
    const user = env.dev('user')
    await env.send(user, await poor.prove(w))
    await env.travel(poor.config.challengeWindow)
    await expect(finalizeWithdrawal(env.l1, { inbox: poor.inbox, withdrawal: w })).rejects.toMatchObject({
      reason: 'insufficient-escrow',
    })
    expect(await env.revertOf(user, portalCall('finalizeWithdrawal', [poor.inbox, w]))).toMatchObject({
      errorName: 'InsufficientEscrow',
      args: [0n, parseEther('1')],
    })
    expect(
      await env.l1.readContract({
        address: SEED_PORTAL,
        abi: SeedPortalAbi,
        functionName: 'ethEscrow',
        args: [rich.inbox],
      }),
    ).toBe(parseEther('5'))
  })
})

describe('withdrawal targets the portal must never call', () => {
  test('a withdrawal calling an inbox (rollBackTo, as the portal) is refused: one chain cannot wipe another’s batches', async () => {
    const victim = await createAgentChain(env)
    await victim.postBatch(`0x${'11'.repeat(32)}`)
    const user = env.dev('user')
    for (const target of [victim.inbox, env.addresses.rollupInboxFactory]) {
      const data =
        target === victim.inbox
          ? encodeFunctionData({ abi: RollupInboxAbi, functionName: 'rollBackTo', args: [0n] })
          : ('0x' as const)
      const w = l2Withdrawal({ sender: fresh(), target, data, gasLimit: 100_000n })
      const attacker = await chainWithWithdrawals([w], 0n)
      const call = portalCall('proveWithdrawal', [
        attacker.inbox,
        w,
        attacker.index,
        attacker.state.preimage,
        await attacker.state.proofOf(w),
      ])
      expect(await env.revertOf(user, call)).toMatchObject({ errorName: 'BadTarget', args: [target] })
    }
    expect(await env.l1.readContract({ address: victim.inbox, abi: RollupInboxAbi, functionName: 'batchCount' })).toBe(
      1n,
    )
  })
})

describe('ERC-20 withdrawals through the L1StandardBridge', () => {
  const finalizeData = (inbox: Address, token: Address, from: Address, to: Address, amount: bigint) =>
    encodeFunctionData({
      abi: L1StandardBridgeAbi,
      functionName: 'finalizeWithdrawal',
      args: [inbox, token, from, to, amount],
    })

  test('a withdrawal the L2StandardBridge sent pays the tokens from the chain’s escrow; a look-alike from anyone else pays nothing', async () => {
    const user = env.dev('user')
    const token = env.addresses.testToken
    const recipient = fresh()
    const chain = await createAgentChain(env)
    await env.send(user, {
      to: token,
      data: encodeFunctionData({ abi: TestTokenAbi, functionName: 'mint', args: [user.address, parseEther('10')] }),
    })
    for (const call of await depositErc20(env.l1, {
      inbox: chain.inbox,
      token,
      owner: user.address,
      to: user.address,
      amount: parseEther('10'),
    })) {
      await env.send(user, call)
    }
    const data = finalizeData(chain.inbox, token, user.address, recipient, parseEther('4'))
    const genuine = l2Withdrawal({ sender: L2_STANDARD_BRIDGE, target: L1_STANDARD_BRIDGE, data, gasLimit: 200_000n })
    // Same call, but sent on L2 by an ordinary account: the bridge must refuse it.
    const impostor = l2Withdrawal({ sender: recipient, target: L1_STANDARD_BRIDGE, data, gasLimit: 200_000n })
    const state = await messagePasserState([genuine, impostor])
    const { index } = await chain.postBatch(state.outputRoot)
    for (const w of [genuine, impostor]) {
      const call = await proveWithdrawal(env.l1, {
        inbox: chain.inbox,
        withdrawal: w,
        index,
        outputRootPreimage: state.preimage,
        storageProof: await state.proofOf(w),
      })
      await env.send(user, call)
    }
    await env.travel(chain.config.challengeWindow)
    const balance = () =>
      env.l1.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [recipient] })
    /** Finalizes `w` and returns whether the portal's call to its target succeeded. */
    const relay = async (w: Withdrawal) => {
      const receipt = await env.send(user, await finalizeWithdrawal(env.l1, { inbox: chain.inbox, withdrawal: w }))
      const [event] = parseEventLogs({ abi: SeedPortalAbi, eventName: 'WithdrawalFinalized', logs: receipt.logs })
      return event!.args.success
    }
    // The impostor's withdrawal is finalized (no replays) but the bridge refuses it: nothing paid.
    expect(await relay(impostor)).toBe(false)
    expect(await balance()).toBe(0n)
    expect(await relay(genuine)).toBe(true)
    expect(await balance()).toBe(parseEther('4'))
    expect(
      await env.l1.readContract({
        address: L1_STANDARD_BRIDGE,
        abi: L1StandardBridgeAbi,
        functionName: 'escrow',
        args: [chain.inbox, token],
      }),
    ).toBe(parseEther('6'))
  })

  test('a chain cannot withdraw another chain’s tokens by naming its inbox', async () => {
    const user = env.dev('user')
    const token = env.addresses.testToken
    const victim = await createAgentChain(env)
    await env.send(user, {
      to: token,
      data: encodeFunctionData({ abi: TestTokenAbi, functionName: 'mint', args: [user.address, parseEther('3')] }),
    })
    for (const call of await depositErc20(env.l1, {
      inbox: victim.inbox,
      token,
      owner: user.address,
      to: user.address,
      amount: parseEther('3'),
    })) {
      await env.send(user, call)
    }
    const thief = fresh()
    const data = finalizeData(victim.inbox, token, thief, thief, parseEther('3'))
    const w = l2Withdrawal({ sender: L2_STANDARD_BRIDGE, target: L1_STANDARD_BRIDGE, data, gasLimit: 200_000n })
    const attacker = await chainWithWithdrawals([w], 0n)
    await env.send(user, await attacker.prove(w))
    await env.travel(attacker.config.challengeWindow)
    await env.send(user, await finalizeWithdrawal(env.l1, { inbox: attacker.inbox, withdrawal: w }))
    expect(await env.l1.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [thief] })).toBe(
      0n,
    )
    expect(
      await env.l1.readContract({
        address: L1_STANDARD_BRIDGE,
        abi: L1StandardBridgeAbi,
        functionName: 'escrow',
        args: [victim.inbox, token],
      }),
    ).toBe(parseEther('3'))
  })
})
