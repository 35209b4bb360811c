import { epochVoucherTypedData, L2_STANDARD_BRIDGE, L2StandardBridgeAbi, postBountyCall } from '@seed/contracts'
import { encodeFunctionData, erc20Abi, maxUint256, parseEther } from 'viem'
import { describe, expect, test } from 'vitest'
import { transferWithAuthorization } from '../../test/usd-typed-data.ts'
import { createMemoryStorage } from '../storage.ts'
import { decodeSpend } from './decodeSpend.ts'
import { evaluatePolicy, recordAction } from './evaluatePolicy.ts'
import { ApprovalRequiredError, createGuard, PolicyDeniedError } from './guard.ts'
import { typedDataSpend } from './guardedSign.ts'
import { typedDataAction } from './typedDataSignature.ts'
import { type Action, initialPolicyState, type Policy } from './types.ts'

const account = '0x00000000000000000000000000000000000000aa' as const
const token = '0x00000000000000000000000000000000000000c0' as const
const shop = '0x0000000000000000000000000000000000000005' as const
const evil = '0x00000000000000000000000000000000000000ee' as const
const transfer = (to: `0x${string}`, amount: bigint) => ({
  to: token,
  data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] }),
})
const approve = (spender: `0x${string}`, amount: bigint) => ({
  to: token,
  data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [spender, amount] }),
})
const act = (calls: Action['calls']): Action => ({ requestedBy: 'task-7', account, calls })
const codes = (v: { reasons: { code: string }[] }) => v.reasons.map((r) => r.code)

const policy: Policy = {
  perTxCap: { eth: parseEther('1'), [token]: 500n },
  budgets: [
    { asset: 'eth', limit: parseEther('2'), periodSeconds: 3600 },
    { asset: token, limit: 1000n, periodSeconds: 3600 },
  ],
  denyTargets: [evil],
  denySelectors: ['0x23b872dd'],
  rateLimit: { max: 3, windowSeconds: 60 },
  approvalAbove: { eth: parseEther('0.5'), [token]: 300n },
}

describe('decodeSpend', () => {
  test('counts ETH value and ERC-20 transfer/approve amounts per token', () => {
    const spend = decodeSpend([
      { to: shop, value: 7n },
      transfer(shop, 100n),
      approve(shop, 50n),
      { to: shop, data: '0x1234' },
    ])
    expect(spend.eth).toBe(7n)
    expect(spend.tokens.get(token)).toBe(150n)
    expect(spend.approvals).toEqual([{ token, spender: shop, amount: 50n }])
  })
})

describe('evaluatePolicy', () => {
  const state = initialPolicyState()
  test('allows a small payment', () => {
    expect(evaluatePolicy(policy, state, act([transfer(shop, 100n)]))).toEqual({ decision: 'allow', reasons: [] })
  })
  test('per-tx cap (ETH and token), including unlimited approvals', () => {
    expect(codes(evaluatePolicy(policy, state, act([{ to: shop, value: parseEther('1.5') }])))).toEqual(['per-tx-cap'])
    expect(codes(evaluatePolicy(policy, state, act([transfer(shop, 400n), transfer(shop, 200n)])))).toEqual([
      'per-tx-cap',
    ])
    expect(evaluatePolicy(policy, state, act([approve(shop, maxUint256)])).decision).toBe('deny')
  })
  test('denylisted target and selector; allowlists', () => {
    expect(codes(evaluatePolicy(policy, state, act([{ to: evil, value: 1n }])))).toEqual(['target-denied'])
    const pull = {
      to: token,
      data: encodeFunctionData({ abi: erc20Abi, functionName: 'transferFrom', args: [shop, account, 1n] }),
    }
    expect(codes(evaluatePolicy(policy, state, act([pull])))).toEqual(['selector-denied'])
    const strict: Policy = { allowTargets: [token], allowSelectors: ['0xa9059cbb'] }
    expect(evaluatePolicy(strict, state, act([transfer(shop, 1n)])).decision).toBe('allow')
    expect(codes(evaluatePolicy(strict, state, act([{ to: shop, value: 1n }])))).toEqual([
      'target-not-allowed',
      'selector-not-allowed',
    ])
    expect(codes(evaluatePolicy(strict, state, act([approve(shop, 1n)])))).toEqual(['selector-not-allowed'])
  })
  test('per-period budget counts earlier spend and resets after the period', () => {
    const t0 = 1_000_000
    const policy2 = { ...policy, rateLimit: undefined }
    let s = recordAction(policy2, state, act([transfer(shop, 300n)]), t0)
    s = recordAction(policy2, s, act([transfer(shop, 300n)]), t0 + 1000)
    s = recordAction(policy2, s, act([transfer(shop, 300n)]), t0 + 2000)
    const verdict = evaluatePolicy(policy2, s, act([transfer(shop, 200n)]), t0 + 3000)
    expect(codes(verdict)).toEqual(['budget'])
    expect(verdict.reasons[0]!.message).toMatch(/900/)
    expect(evaluatePolicy(policy2, s, act([transfer(shop, 200n)]), t0 + 3_600_000).decision).toBe('allow')
  })
  test('rate limit over a sliding window', () => {
    let s = initialPolicyState()
    for (let i = 0; i < 3; i++) s = recordAction(policy, s, act([{ to: shop, value: 1n }]), 10_000 + i)
    expect(codes(evaluatePolicy(policy, s, act([{ to: shop, value: 1n }]), 10_010))).toEqual(['rate-limit'])
    expect(evaluatePolicy(policy, s, act([{ to: shop, value: 1n }]), 10_000 + 61_000).decision).toBe('allow')
  })
  test('needs-approval above the threshold; deny wins over approval', () => {
    expect(evaluatePolicy(policy, state, act([{ to: shop, value: parseEther('0.7') }]))).toMatchObject({
      decision: 'needs-approval',
      reasons: [{ code: 'needs-approval', asset: 'eth' }],
    })
    expect(evaluatePolicy(policy, state, act([{ to: evil, value: parseEther('0.7') }])).decision).toBe('deny')
  })
  test('a committed action (funds budgeted when committed) is capped and asked about, never budgeted again', () => {
    const policy2 = { ...policy, rateLimit: undefined }
    const committed = (amount: bigint): Action => ({ ...act([transfer(shop, amount)]), committed: true })
    const spent = recordAction(policy2, state, act([transfer(shop, 500n)]), 1_000)
    const full = recordAction(policy2, spent, act([transfer(shop, 500n)]), 1_001)
    expect(evaluatePolicy(policy2, full, committed(200n), 1_002).decision).toBe('allow')
    expect(evaluatePolicy(policy2, full, committed(400n), 1_002).decision).toBe('needs-approval')
    expect(codes(evaluatePolicy(policy2, full, committed(600n), 1_002))).toEqual(['per-tx-cap'])
    expect(recordAction(policy2, full, committed(200n), 1_003).ledger.at(-1)?.amounts).toEqual({})
  })
  test('kill switch denies everything', () => {
    const frozen = { ...state, frozen: true, frozenReason: 'operator panic' }
    expect(evaluatePolicy(policy, frozen, act([transfer(shop, 1n)]))).toEqual({
      decision: 'deny',
      reasons: [{ code: 'frozen', message: 'Kill switch on: operator panic' }],
    })
  })
})

describe('guard', () => {
  test('runs allowed actions, refuses others before execute, and audits every decision persistently', async () => {
    const storage = createMemoryStorage()
    const guard = createGuard({ storage, policy })
    let executed = 0
    const exec = async () => ++executed
    expect(await guard.run(act([transfer(shop, 100n)]), exec)).toBe(1)
    await expect(guard.run(act([{ to: evil, value: 1n }]), exec)).rejects.toBeInstanceOf(PolicyDeniedError)
    expect(executed).toBe(1)

    // Needs approval: refused until a human approves exactly that action; the approval works once.
    const big = act([{ to: shop, value: parseEther('0.7') }])
    const error = await guard.run(big, exec).catch((e) => e)
    expect(error).toBeInstanceOf(ApprovalRequiredError)
    await expect(
      guard.run(act([{ to: shop, value: parseEther('0.8') }]), exec, { approvalId: error.approvalId }),
    ).rejects.toBeInstanceOf(ApprovalRequiredError)
    await guard.resolveApproval(error.approvalId, { approved: true, by: 'human:alice' })
    expect(await guard.run(big, exec, { approvalId: error.approvalId })).toBe(2)
    await expect(guard.run(big, exec, { approvalId: error.approvalId })).rejects.toBeInstanceOf(ApprovalRequiredError)

    await guard.freeze('suspicious prompt', 'human:alice')
    const frozen = await guard.run(act([transfer(shop, 1n)]), exec).catch((e) => e)
    expect(frozen).toBeInstanceOf(PolicyDeniedError)
    expect(frozen.verdict.reasons[0].code).toBe('frozen')
    await guard.unfreeze('human:alice')
    expect(await guard.run(act([transfer(shop, 1n)]), exec)).toBe(3)

    // A fresh guard over the same storage sees the same log and state.
    const log = await createGuard({ storage, policy }).auditLog()
    const summary = log.map((e) => `${e.event}:${e.decision ?? ''}:${e.by}`)
    expect(summary).toEqual([
      'check:allow:task-7',
      'executed::task-7',
      'check:deny:task-7',
      'check:needs-approval:task-7',
      'check:needs-approval:task-7',
      'approval:allow:human:alice',
      'check:allow:task-7',
      'executed::task-7',
      'check:needs-approval:task-7',
      'freeze::human:alice',
      'check:deny:task-7',
      'unfreeze::human:alice',
      'check:allow:task-7',
      'executed::task-7',
    ])
    expect(log[2]!.reasons![0]!.code).toBe('target-denied')
    expect(log[0]!.calls![0]).toEqual({ to: token, value: '0', selector: '0xa9059cbb' })
  })

  test('concurrent actions cannot both fit the remaining budget', async () => {
    const guard = createGuard({
      storage: createMemoryStorage(),
      policy: { budgets: [{ asset: token, limit: 100n, periodSeconds: 60 }] },
    })
    const results = await Promise.allSettled([
      guard.run(act([transfer(shop, 60n)]), async () => 'a'),
      guard.run(act([transfer(shop, 60n)]), async () => 'b'),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
  })
})

describe('signatures as actions', () => {
  const authorization = (value: bigint) =>
    transferWithAuthorization(token, {
      from: account,
      to: shop,
      value,
      validAfter: 0n,
      validBefore: 1n,
      nonce: `0x${'00'.repeat(32)}`,
    })
  test('an EIP-3009 authorisation counts as a token transfer; unknown typed data and messages need an allowance', () => {
    const sign = (calls: Action['calls'], signature: Action['signature']): Action => ({ ...act(calls), signature })
    const typed = { kind: 'typedData' as const, primaryType: 'TransferWithAuthorization' }
    expect(
      evaluatePolicy(policy, initialPolicyState(), sign(typedDataSpend(authorization(100n) as never), typed)).decision,
    ).toBe('allow')
    expect(
      codes(evaluatePolicy(policy, initialPolicyState(), sign(typedDataSpend(authorization(600n) as never), typed))),
    ).toEqual(['per-tx-cap'])
    expect(
      codes(evaluatePolicy(policy, initialPolicyState(), sign([], { kind: 'typedData', primaryType: 'Order' }))),
    ).toEqual(['signature-not-allowed'])
    expect(
      evaluatePolicy(
        { allowSignTypes: ['Order'] },
        initialPolicyState(),
        sign([], { kind: 'typedData', primaryType: 'Order' }),
      ).decision,
    ).toBe('allow')
    expect(codes(evaluatePolicy(policy, initialPolicyState(), sign([], { kind: 'message' })))).toEqual([
      'signature-not-allowed',
    ])
    expect(
      evaluatePolicy({ allowMessageSigning: true }, initialPolicyState(), sign([], { kind: 'message' })).decision,
    ).toBe('allow')
  })
})

describe('an L2 twin counts as its token', () => {
  // A rollup's bridged copy of `token` (decision 0703): a script must not move Seed USD past its budget by
  // moving the twin, nor by withdrawing the twin to someone else's L1 address through the L2 bridge.
  const twin = '0x00000000000000000000000000000000000000c1' as const
  const twinPolicy: Policy = { ...policy, rateLimit: undefined, sameAsset: { [twin]: token } }
  const twinTransfer = (amount: bigint) => ({
    to: twin,
    data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [shop, amount] }),
  })
  const withdrawTo = (amount: bigint) => ({
    to: L2_STANDARD_BRIDGE,
    data: encodeFunctionData({
      abi: L2StandardBridgeAbi,
      functionName: 'withdrawTo',
      args: [twin, evil, amount, 200_000],
    }),
  })
  const withdraw = (amount: bigint) => ({
    to: L2_STANDARD_BRIDGE,
    data: encodeFunctionData({ abi: L2StandardBridgeAbi, functionName: 'withdraw', args: [twin, amount, 200_000] }),
  })

  test('a withdrawal through the L2 standard bridge is a spend of the bridged token', () => {
    expect(decodeSpend([withdrawTo(400n)]).tokens.get(twin)).toBe(400n)
    expect(decodeSpend([withdraw(30n)]).tokens.get(twin)).toBe(30n)
  })
  test("the token's per-action cap and approval threshold apply to its twin", () => {
    const state = initialPolicyState()
    expect(codes(evaluatePolicy(twinPolicy, state, act([twinTransfer(600n)])))).toEqual(['per-tx-cap'])
    expect(codes(evaluatePolicy(twinPolicy, state, act([withdrawTo(600n)])))).toEqual(['per-tx-cap'])
    expect(evaluatePolicy(twinPolicy, state, act([withdraw(400n)])).decision).toBe('needs-approval')
  })
  test('one budget for the token and its twin', () => {
    const t0 = 1_000_000
    let s = recordAction(twinPolicy, initialPolicyState(), act([transfer(shop, 500n)]), t0)
    s = recordAction(twinPolicy, s, act([twinTransfer(300n)]), t0 + 1)
    expect(codes(evaluatePolicy(twinPolicy, s, act([withdrawTo(250n)]), t0 + 2))).toEqual(['budget'])
    expect(codes(evaluatePolicy(twinPolicy, s, act([transfer(shop, 250n)]), t0 + 2))).toEqual(['budget'])
    expect(evaluatePolicy(twinPolicy, s, act([withdraw(200n)]), t0 + 2).decision).toBe('allow')
  })
})

describe('a bounty posted to the escrow is a spend of its token (decision 0802)', () => {
  // SeedBountyEscrow.post pulls `funds` of `token` from the poster: a script must not post past its budget,
  // whether it approves in the same batch or leans on an allowance it gave earlier.
  const escrow = '0x00000000000000000000000000000000000000e5' as const
  const post = (funds: bigint) =>
    postBountyCall(escrow, {
      kind: 'replica',
      inbox: shop,
      token,
      pricePerEpoch: 1n,
      epochLength: 60n,
      maxOperators: 1,
      funds,
    })
  const bountyPolicy: Policy = { ...policy, rateLimit: undefined }

  test('post alone (an earlier allowance) counts its funds', () => {
    expect(decodeSpend([post(400n)]).tokens.get(token)).toBe(400n)
    expect(codes(evaluatePolicy(bountyPolicy, initialPolicyState(), act([post(600n)])))).toEqual(['per-tx-cap'])
  })

  test('approve + post counts the funds once; an approval beyond them stays exposure', () => {
    expect(decodeSpend([approve(escrow, 400n), post(400n)]).tokens.get(token)).toBe(400n)
    expect(decodeSpend([approve(escrow, 500n), post(400n)]).tokens.get(token)).toBe(500n)
    expect(decodeSpend([approve(escrow, 100n), post(400n)]).tokens.get(token)).toBe(400n)
  })

  test('the budget counts posts like transfers', () => {
    let state = initialPolicyState()
    state = recordAction(bountyPolicy, state, act([approve(escrow, 450n), post(450n)]), 1_000)
    state = recordAction(bountyPolicy, state, act([post(450n)]), 1_000)
    expect(codes(evaluatePolicy(bountyPolicy, state, act([post(450n)]), 1_001))).toContain('budget')
  })
})

describe('the escrow epoch voucher is the wallet’s own signature', () => {
  test('a page never gets an EpochVoucher: its domain is protected by name', () => {
    const voucher = epochVoucherTypedData({
      chainId: 31337,
      escrow: shop,
      bountyId: 1n,
      agentId: 2n,
      cumulativeAmount: 10n,
    })
    expect(typedDataAction(voucher as never, []).signature.protectedDomain).toBe(true)
  })
})
