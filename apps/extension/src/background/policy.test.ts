import { type Action, evaluatePolicy, initialPolicyState } from '@seed/aa'
import { type Address, parseEther } from 'viem'
import { describe, expect, test } from 'vitest'
import { DEFAULT_POLICY, toPolicy } from './policy.ts'

const account: Address = '0x00000000000000000000000000000000000000a1'
const to: Address = '0x00000000000000000000000000000000000000b2'
const send = (eth: string): Action => ({
  requestedBy: 'http://127.0.0.1',
  account,
  calls: [{ to, value: parseEther(eth) }],
})

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
  })
})
