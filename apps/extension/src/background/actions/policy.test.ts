import { type Action, evaluatePolicy, initialPolicyState } from '@seed/aa'
import { L2_STANDARD_BRIDGE, L2StandardBridgeAbi, l2TwinAddress, seedBountyEscrow } from '@seed/contracts'
import { type Address, encodeFunctionData, parseEther } from 'viem'
import { describe, expect, test } from 'vitest'
import { actionOf, DEFAULT_POLICY, toPolicy } from './policy.ts'

const account: Address = '0x00000000000000000000000000000000000000a1'
const to: Address = '0x00000000000000000000000000000000000000b2'
const usd: Address = '0x00000000000000000000000000000000000000c3'
const origin = 'http://127.0.0.1'
const send = (eth: string): Action => ({
  requestedBy: origin,
  account,
  calls: [{ to, value: parseEther(eth) }],
})

const permit = (value: bigint) =>
  JSON.stringify({
    domain: { name: 'Seed USD', version: '2', chainId: 31337, verifyingContract: usd },
    types: {
      Permit: [
        { name: 'owner', type: 'address' },
        { name: 'spender', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'Permit',
    message: { owner: account, spender: to, value: value.toString(), nonce: '0', deadline: '9999999999' },
  })

const signTypedData = (typedData: string) =>
  actionOf({ origin, method: 'eth_signTypedData_v4', params: [account, typedData] }, account)

describe('wallet policy settings → aa policy', () => {
  test('the per-transaction ETH cap allows up to it and denies above', () => {
    const policy = toPolicy({ ...DEFAULT_POLICY, perTxEth: '0.5' })
    expect(evaluatePolicy(policy, initialPolicyState(), send('0.5')).decision).toBe('allow')
    const verdict = evaluatePolicy(policy, initialPolicyState(), send('0.6'))
    expect(verdict.decision).toBe('deny')
    expect(verdict.reasons.map((r) => r.code)).toContain('per-tx-cap')
  })

  test('denylisted targets are refused whatever the amount', () => {
    const policy = toPolicy({ ...DEFAULT_POLICY, denyTargets: [to] })
    expect(evaluatePolicy(policy, initialPolicyState(), send('0')).decision).toBe('deny')
  })

  test('malformed amounts are rejected when saving', () => {
    expect(() => toPolicy({ ...DEFAULT_POLICY, perTxEth: 'lots' })).toThrow()
    expect(() => toPolicy({ ...DEFAULT_POLICY, perTxUsd: '1e6' })).toThrow()
  })
})

describe('signatures under the policy', () => {
  const policyFor = (_action: Action, settings = DEFAULT_POLICY) => toPolicy(settings, usd)

  test('an EIP-2612 permit counts as an approval of its value: the USDS cap applies', async () => {
    const settings = { ...DEFAULT_POLICY, perTxUsd: '10' }
    const within = await signTypedData(permit(10_000_000n))
    expect(within.calls).toHaveLength(1)
    expect(evaluatePolicy(policyFor(within, settings), initialPolicyState(), within).decision).toBe('allow')
    const above = await signTypedData(permit(10_000_001n))
    const verdict = evaluatePolicy(policyFor(above, settings), initialPolicyState(), above)
    expect(verdict).toMatchObject({ decision: 'deny', reasons: [{ code: 'per-tx-cap', asset: usd }] })
  })

  test('an EIP-3009 authorisation counts as a transfer of its value', async () => {
    const action = await signTypedData(
      JSON.stringify({
        domain: { name: 'Seed USD', version: '2', chainId: 31337, verifyingContract: usd },
        types: {
          TransferWithAuthorization: [
            { name: 'from', type: 'address' },
            { name: 'to', type: 'address' },
            { name: 'value', type: 'uint256' },
            { name: 'validAfter', type: 'uint256' },
            { name: 'validBefore', type: 'uint256' },
            { name: 'nonce', type: 'bytes32' },
          ],
        },
        primaryType: 'TransferWithAuthorization',
        message: {
          from: account,
          to,
          value: '7000000',
          validAfter: '0',
          validBefore: '9999999999',
          nonce: `0x${'11'.repeat(32)}`,
        },
      }),
    )
    const verdict = evaluatePolicy(
      policyFor(action, { ...DEFAULT_POLICY, perTxUsd: '5' }),
      initialPolicyState(),
      action,
    )
    expect(verdict).toMatchObject({ decision: 'deny', reasons: [{ code: 'per-tx-cap', asset: usd }] })
    expect(verdict.reasons[0]!.message).toBe(`Spends 7000000 units of ${usd}, per-action cap is 5000000.`)
  })

  test('a permit counts against the daily USDS budget already spent', async () => {
    const settings = { ...DEFAULT_POLICY, dailyUsd: '20' }
    const action = await signTypedData(permit(15_000_000n))
    const state = {
      ...initialPolicyState(),
      ledger: [{ id: 'earlier', at: Date.now(), amounts: { [usd]: '10000000' }, status: 'settled' as const }],
    }
    expect(evaluatePolicy(policyFor(action, settings), state, action).reasons.map((r) => r.code)).toEqual(['budget'])
  })

  test("withdrawing Seed USD's rollup twin to anyone counts against the USD cap and the day's USD budget", () => {
    const withdrawTo = (amount: bigint): Action => ({
      requestedBy: origin,
      account,
      calls: [
        {
          to: L2_STANDARD_BRIDGE,
          data: encodeFunctionData({
            abi: L2StandardBridgeAbi,
            functionName: 'withdrawTo',
            args: [l2TwinAddress(usd), to, amount, 200_000],
          }),
        },
      ],
    })
    const policy = toPolicy({ ...DEFAULT_POLICY, perTxUsd: '100', dailyUsd: '20' }, usd)
    expect(evaluatePolicy(policy, initialPolicyState(), withdrawTo(101_000_000n)).reasons.map((r) => r.code)).toContain(
      'per-tx-cap',
    )
    const state = {
      ...initialPolicyState(),
      ledger: [{ id: 'earlier', at: Date.now(), amounts: { [usd]: '10000000' }, status: 'settled' as const }],
    }
    expect(evaluatePolicy(policy, state, withdrawTo(15_000_000n)).reasons.map((r) => r.code)).toEqual(['budget'])
    expect(evaluatePolicy(policy, state, withdrawTo(5_000_000n)).decision).not.toBe('deny')
  })

  test('messages and non-spending typed data pass unless signatures are switched off', async () => {
    const message = await actionOf({ origin, method: 'personal_sign', params: ['0x6869', account] }, account)
    const order = await signTypedData(
      JSON.stringify({
        types: { Order: [{ name: 'item', type: 'string' }] },
        primaryType: 'Order',
        message: { item: 'x' },
      }),
    )
    for (const action of [message, order]) {
      expect(evaluatePolicy(policyFor(action), initialPolicyState(), action).decision).toBe('allow')
      const off = evaluatePolicy(
        policyFor(action, { ...DEFAULT_POLICY, allowSignatures: false }),
        initialPolicyState(),
        action,
      )
      expect(off.reasons.map((r) => r.code)).toEqual(['signature-not-allowed'])
    }
  })

  test('a 32-byte personal_sign is refused by default, even with signatures allowed', async () => {
    const hash = await actionOf({ origin, method: 'personal_sign', params: [`0x${'ab'.repeat(32)}`, account] }, account)
    const codes = (settings: typeof DEFAULT_POLICY) =>
      evaluatePolicy(toPolicy(settings, usd), initialPolicyState(), hash).reasons.map((r) => r.code)
    expect(codes(DEFAULT_POLICY)).toEqual(['hash-signing'])
    expect(codes({ ...DEFAULT_POLICY, allowHashSigning: true })).toEqual([])
  })

  test('the kill switch blocks every signature', async () => {
    const action = await actionOf({ origin, method: 'personal_sign', params: ['0x6869', account] }, account)
    const frozen = { ...initialPolicyState(), frozen: true }
    expect(evaluatePolicy(policyFor(action), frozen, action).reasons.map((r) => r.code)).toEqual(['frozen'])
  })
})

describe("the bounty escrow's vouchers are the wallet's own signatures (decision 0802)", () => {
  // An EpochVoucher pays the operator named in it: only the wallet's payer signs one, after a passed probe.
  const voucher = (name: string) =>
    JSON.stringify({
      domain: { name, version: '1', chainId: 31337, verifyingContract: seedBountyEscrow() },
      types: {
        EpochVoucher: [
          { name: 'bountyId', type: 'uint256' },
          { name: 'agentId', type: 'uint256' },
          { name: 'cumulativeAmount', type: 'uint256' },
        ],
      },
      primaryType: 'EpochVoucher',
      message: { bountyId: '1', agentId: '2', cumulativeAmount: '1000000' },
    })

  test.each(['SeedBountyEscrow', 'Anything else'])(
    'a page asking for one (domain name %j) is refused',
    async (name) => {
      const action = await signTypedData(voucher(name))
      const verdict = evaluatePolicy(toPolicy(DEFAULT_POLICY, usd), initialPolicyState(), action)
      expect(verdict).toMatchObject({ decision: 'deny', reasons: [{ code: 'protected-domain' }] })
    },
  )
})
