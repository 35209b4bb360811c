/**
 * Output challenges, Stage 0 (docs/decisions/0700): a bond during the window; the chain's guardians resolve with
 * EIP-712 signatures (threshold of the registered set). Invalid: that output and every later one are rolled back
 * (the inbox accepts re-posting from that index), withdrawals proven against them cannot finalize, and the
 * challenger is paid its bond plus the proposer's; valid: the bond goes to the proposer. Payouts are pulled.
 */
import { type Address, encodeFunctionData, getAddress, type Hex, parseEther } from 'viem'
import type { PrivateKeyAccount } from 'viem/accounts'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  challengeOutput,
  depositEth,
  finalizeWithdrawal,
  getOutputStatus,
  getPendingResolution,
  getWithdrawalStatus,
  proveWithdrawal,
  RollupInboxAbi,
  resolveChallenge,
  SEED_PORTAL,
  SeedPortalAbi,
  withdrawBondCredit,
} from '../src/index.ts'
import { type BridgeL1, createAgentChain, l2Withdrawal, messagePasserState, startBridgeL1 } from './bridge-chain.ts'

let env: BridgeL1
beforeAll(async () => {
  env = await startBridgeL1(31_417)
})
afterAll(async () => {
  await env?.stop()
})

const portal = <F extends 'bondCredit' | 'proposerBond'>(functionName: F, arg: Address) =>
  env.l1.readContract({
    address: SEED_PORTAL,
    abi: SeedPortalAbi,
    functionName,
    args: [arg],
  } as never) as Promise<bigint>
const batchCount = (inbox: Address) =>
  env.l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'batchCount' })
const garbageRoot = (tag: string) => `0x${Buffer.from(tag.padEnd(32, '.')).toString('hex')}` as Hex

/** `signers` sign the resolution of the pending challenge of output `index` (ordered by address, as the portal wants). */
async function signResolution(inbox: Address, index: bigint, valid: boolean, signers: readonly PrivateKeyAccount[]) {
  const typedData = await getPendingResolution(env.l1, { inbox, index, valid })
  const ordered = [...signers].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1))
  return Promise.all(ordered.map(async (s) => ({ signer: s.address, signature: await s.signTypedData(typedData) })))
}

describe('challenges resolved by the guardians', () => {
  test('invalid: the output and later ones roll back, its withdrawals cannot finalize, the challenger is paid; the inbox takes the index again', async () => {
    const chain = await createAgentChain(env)
    const user = env.dev('user')
    await env.send(user, await depositEth(env.l1, { inbox: chain.inbox, to: user.address, amount: parseEther('1') }))
    const w = l2Withdrawal({
      target: getAddress(privateKeyToAccount(generatePrivateKey()).address),
      value: parseEther('1'),
    })
    const state = await messagePasserState([w])
    await chain.postBatch(garbageRoot('honest 0'))
    const forged = await chain.postBatch(state.outputRoot) // index 1: the output under dispute
    await chain.postBatch(garbageRoot('later 2'))
    await env.send(
      user,
      await proveWithdrawal(env.l1, {
        inbox: chain.inbox,
        withdrawal: w,
        index: forged.index,
        outputRootPreimage: state.preimage,
        storageProof: await state.proofOf(w),
      }),
    )

    const challenger = privateKeyToAccount(generatePrivateKey())
    await env.fund(challenger.address, parseEther('1'))
    const challenge = await challengeOutput(env.l1, { inbox: chain.inbox, index: forged.index })
    expect(challenge.value).toBe(chain.config.challengeBond)
    // Not the bond exactly: refused.
    expect((await env.revertOf(challenger, { ...challenge, value: challenge.value - 1n })).errorName).toBe('WrongBond')
    await env.send(challenger, challenge)
    expect((await env.revertOf(user, challenge)).errorName).toBe('AlreadyChallenged')
    expect((await getOutputStatus(env.l1, { inbox: chain.inbox, index: forged.index }))?.challenge).toBe('pending')

    // Past the window, a challenged output still serves no withdrawal.
    await env.travel(chain.config.challengeWindow)
    expect((await getWithdrawalStatus(env.l1, { inbox: chain.inbox, withdrawal: w })).status).toBe('challenged')
    const finalize = {
      to: SEED_PORTAL,
      data: encodeFunctionData({ abi: SeedPortalAbi, functionName: 'finalizeWithdrawal', args: [chain.inbox, w] }),
    }
    expect((await env.revertOf(user, finalize)).errorName).toBe('OutputUnderChallenge')

    // Below the threshold, a stranger's signature, the same guardian twice: refused.
    const [g0, g1, g2] = chain.guardians as [PrivateKeyAccount, PrivateKeyAccount, PrivateKeyAccount]
    const stranger = privateKeyToAccount(generatePrivateKey())
    const one = await signResolution(chain.inbox, forged.index, false, [g0])
    await expect(
      resolveChallenge(env.l1, { inbox: chain.inbox, index: forged.index, valid: false, signatures: one }),
    ).rejects.toThrow(/2 needed/)
    for (const signers of [
      [g0, stranger],
      [g0, g0],
    ]) {
      const signatures = await signResolution(chain.inbox, forged.index, false, signers)
      const call = {
        to: SEED_PORTAL,
        data: encodeFunctionData({
          abi: SeedPortalAbi,
          functionName: 'resolveChallenge',
          args: [chain.inbox, forged.index, false, signatures.map((s) => s.signature)],
        }),
      }
      expect((await env.revertOf(user, call)).errorName).toBe('BadSignatures')
    }
    // Signatures for "valid" do not resolve it as invalid.
    const wrongVerdict = await signResolution(chain.inbox, forged.index, true, [g1, g2])
    const swapped = {
      to: SEED_PORTAL,
      data: encodeFunctionData({
        abi: SeedPortalAbi,
        functionName: 'resolveChallenge',
        args: [chain.inbox, forged.index, false, wrongVerdict.map((s) => s.signature)],
      }),
    }
    expect((await env.revertOf(user, swapped)).errorName).toBe('BadSignatures')

    const bondBefore = await portal('proposerBond', chain.inbox)
    const signatures = await signResolution(chain.inbox, forged.index, false, [g2, g1])
    await env.send(
      user,
      await resolveChallenge(env.l1, { inbox: chain.inbox, index: forged.index, valid: false, signatures }),
    )

    expect(await batchCount(chain.inbox)).toBe(forged.index)
    expect((await getWithdrawalStatus(env.l1, { inbox: chain.inbox, withdrawal: w })).status).toBe('output-invalidated')
    expect((await env.revertOf(user, finalize)).errorName).toBe('OutputInvalidated')
    // Bond back plus the reward from the proposer's bond, pulled by the challenger.
    const bond = chain.config.challengeBond
    expect(await portal('bondCredit', challenger.address)).toBe(2n * bond)
    expect(await portal('proposerBond', chain.inbox)).toBe(bondBefore - bond)
    const before = await env.l1.getBalance({ address: challenger.address })
    const pulled = await env.send(challenger, withdrawBondCredit())
    expect(await env.l1.getBalance({ address: challenger.address })).toBe(
      before + 2n * bond - pulled.gasUsed * pulled.effectiveGasPrice,
    )
    expect(await portal('bondCredit', challenger.address)).toBe(0n)

    // The sequencer re-posts from the rolled-back index; a withdrawal proven there must be proven again.
    const reposted = await chain.postBatch(state.outputRoot)
    expect(reposted.index).toBe(forged.index)
    expect((await getWithdrawalStatus(env.l1, { inbox: chain.inbox, withdrawal: w })).status).toBe('output-invalidated')
    await env.send(
      user,
      await proveWithdrawal(env.l1, {
        inbox: chain.inbox,
        withdrawal: w,
        index: reposted.index,
        outputRootPreimage: state.preimage,
        storageProof: await state.proofOf(w),
      }),
    )
    expect((await getWithdrawalStatus(env.l1, { inbox: chain.inbox, withdrawal: w })).status).toBe('proven')
  })

  test('valid: the challenger’s bond goes to the proposer, and withdrawals finalize after the window', async () => {
    const chain = await createAgentChain(env)
    const user = env.dev('user')
    await env.send(user, await depositEth(env.l1, { inbox: chain.inbox, to: user.address, amount: parseEther('1') }))
    const recipient = getAddress(privateKeyToAccount(generatePrivateKey()).address)
    const w = l2Withdrawal({ target: recipient, value: 123n })
    const state = await messagePasserState([w])
    const { index } = await chain.postBatch(state.outputRoot)
    await env.send(
      user,
      await proveWithdrawal(env.l1, {
        inbox: chain.inbox,
        withdrawal: w,
        index,
        outputRootPreimage: state.preimage,
        storageProof: await state.proofOf(w),
      }),
    )
    await env.send(user, await challengeOutput(env.l1, { inbox: chain.inbox, index }))
    const [g0, g1] = chain.guardians as [PrivateKeyAccount, PrivateKeyAccount]
    const signatures = await signResolution(chain.inbox, index, true, [g0, g1])
    await env.send(user, await resolveChallenge(env.l1, { inbox: chain.inbox, index, valid: true, signatures }))
    expect((await getOutputStatus(env.l1, { inbox: chain.inbox, index }))?.challenge).toBe('resolved-valid')
    expect(await portal('bondCredit', chain.owner.address)).toBe(chain.config.challengeBond)
    // Resolved valid: no second challenge.
    expect(
      (
        await env.revertOf(user, {
          to: SEED_PORTAL,
          data: encodeFunctionData({ abi: SeedPortalAbi, functionName: 'challengeOutput', args: [chain.inbox, index] }),
          value: chain.config.challengeBond,
        })
      ).errorName,
    ).toBe('AlreadyChallenged')
    await env.travel(chain.config.challengeWindow)
    await expect(challengeOutput(env.l1, { inbox: chain.inbox, index })).rejects.toThrow(/window closed/)
    await env.send(user, await finalizeWithdrawal(env.l1, { inbox: chain.inbox, withdrawal: w }))
    expect(await env.l1.getBalance({ address: recipient })).toBe(123n)
  })

  test('a challenge of a later output orphaned by an earlier invalid one gets its bond back; only the portal rolls back', async () => {
    const chain = await createAgentChain(env)
    const user = env.dev('user')
    const first = await chain.postBatch(garbageRoot('bad 0'))
    const second = await chain.postBatch(garbageRoot('bad 1'))
    const late = privateKeyToAccount(generatePrivateKey())
    await env.fund(late.address, parseEther('1'))
    await env.send(late, await challengeOutput(env.l1, { inbox: chain.inbox, index: second.index }))
    const secondOutput = await getOutputStatus(env.l1, { inbox: chain.inbox, index: second.index })
    await env.send(user, await challengeOutput(env.l1, { inbox: chain.inbox, index: first.index }))
    const [g0, g1] = chain.guardians as [PrivateKeyAccount, PrivateKeyAccount]
    const signatures = await signResolution(chain.inbox, first.index, false, [g0, g1])
    await env.send(
      user,
      await resolveChallenge(env.l1, { inbox: chain.inbox, index: first.index, valid: false, signatures }),
    )
    expect(await batchCount(chain.inbox)).toBe(0n)

    const reclaim = {
      to: SEED_PORTAL,
      data: encodeFunctionData({
        abi: SeedPortalAbi,
        functionName: 'reclaimOrphanedChallenge',
        args: [chain.inbox, second.index, secondOutput!.outputRoot, secondOutput!.postedAt],
      }),
    }
    await env.send(user, reclaim)
    expect(await portal('bondCredit', late.address)).toBe(chain.config.challengeBond)
    expect((await env.revertOf(user, reclaim)).errorName).toBe('NotChallenged')

    await chain.postBatch(garbageRoot('honest 0'))
    const rollBack = {
      to: chain.inbox,
      data: encodeFunctionData({ abi: RollupInboxAbi, functionName: 'rollBackTo', args: [0n] }),
    }
    for (const caller of [user, chain.owner, chain.sequencer]) {
      expect((await env.revertOf(caller, rollBack)).errorName).toBe('NotPortal')
    }
  })
})
