import { type Address, parseEther } from 'viem'
import { describe, expect, test } from 'vitest'
import {
  BATCHER_FUNDING,
  BATCHER_LOW_BALANCE,
  BLOB_POST_MAX_COST,
  planTopUp,
  RETRY_FAILED_AFTER_MS,
  type TopUpRecord,
} from './batcher-topup-plan.ts'

const batcher: Address = '0x00000000000000000000000000000000000000b1'
const low = parseEther('0.001')
const record = (status: TopUpRecord['status'], l1Block?: bigint): TopUpRecord => ({
  id: 't1',
  batcher,
  amount: (BATCHER_FUNDING - low).toString(),
  status,
  userOpHash: '0x01',
  l1Block: l1Block?.toString(),
  at: 0,
})

describe('batcher top-up plan', () => {
  test('the threshold covers ten worst-case blob posts, and a top-up refills above it', () => {
    expect(BATCHER_LOW_BALANCE).toBe(10n * BLOB_POST_MAX_COST)
    expect(BATCHER_LOW_BALANCE).toBeGreaterThan(parseEther('0.01'))
    expect(BATCHER_FUNDING).toBeGreaterThan(BATCHER_LOW_BALANCE * 2n)
  })

  test('enough ETH: nothing to do; below the threshold: refill to the initial funding', () => {
    const at = { batcher, balanceBlock: 10n, unlocked: true }
    expect(planTopUp({ ...at, balance: BATCHER_LOW_BALANCE })).toEqual({ kind: 'enough' })
    expect(planTopUp({ ...at, balance: low })).toEqual({ kind: 'send', amount: BATCHER_FUNDING - low })
  })

  test('locked: the top-up waits (and says how much it will be)', () => {
    expect(planTopUp({ batcher, balance: low, balanceBlock: 10n, unlocked: false })).toEqual({
      kind: 'locked',
      amount: BATCHER_FUNDING - low,
    })
  })

  test('a top-up in flight is resumed, never doubled, whatever the balance says', () => {
    for (const status of ['signed', 'submitted'] as const) {
      const last = record(status)
      expect(planTopUp({ batcher, balance: low, balanceBlock: 10n, unlocked: true, last })).toEqual({
        kind: 'resume',
        record: last,
      })
    }
  })

  test('a confirmed top-up is not repeated for a balance read before its block', () => {
    const last = record('confirmed', 12n)
    expect(planTopUp({ batcher, balance: low, balanceBlock: 11n, unlocked: true, last })).toEqual({ kind: 'settling' })
    // Read after it landed and still low (the batcher spent it): a new shortfall.
    expect(planTopUp({ batcher, balance: low, balanceBlock: 12n, unlocked: true, last }).kind).toBe('send')
  })

  test('a failed top-up is retried only after a pause; one for a previous batcher blocks nothing', () => {
    const failed = { ...record('failed'), at: 1_000 }
    const at = { batcher, balance: low, balanceBlock: 1n, unlocked: true, last: failed }
    expect(planTopUp({ ...at, now: 2_000 })).toEqual({ kind: 'failed', retryAt: 1_000 + RETRY_FAILED_AFTER_MS })
    expect(planTopUp({ ...at, now: 1_000 + RETRY_FAILED_AFTER_MS }).kind).toBe('send')
    const other = { ...record('submitted'), batcher: '0x00000000000000000000000000000000000000b2' as const }
    expect(planTopUp({ batcher, balance: low, balanceBlock: 1n, unlocked: true, last: other }).kind).toBe('send')
  })
})
