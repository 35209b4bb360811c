/** The mempool under hostile senders: gapped txs never lock out txs that can run (issue 12). */
import type { TypedTransaction } from '@ethereumjs/tx'
import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { Mempool, type PoolTx } from './mempool.ts'

let counter = 0
const ptx = (sender: Hex, nonce: bigint, fee = 10n): PoolTx => ({
  tx: {} as TypedTransaction,
  raw: new Uint8Array(),
  hash: `0x${(++counter).toString(16).padStart(64, '0')}`,
  sender,
  nonce,
  maxFee: fee,
  maxTip: fee,
})
const sender = (i: number) => `0x${i.toString(16).padStart(40, '0')}` as Hex

describe('hostile mempool', () => {
  it('evicts queued (gapped) txs first: a full pool still takes txs that can run', () => {
    const pool = new Mempool({ maxPerSender: 1_024, maxTotal: 100, maxQueued: 100 })
    // 49 funded keys, each with txs behind a gap (state nonce 0, txs from nonce 1): the pool fills.
    for (let i = 1; i <= 49 && pool.size < 100; i++) {
      for (let n = 1n; n <= 3n && pool.size < 100; n++) pool.add(ptx(sender(i), n), 0n)
    }
    expect(pool.size).toBe(100)
    expect(pool.queuedCount).toBe(100)
    // Another queued tx finds no room, but an executable one evicts a queued tx.
    expect(() => pool.add(ptx(sender(999), 5n), 0n)).toThrow(/txpool is full/)
    const honest = ptx(sender(1000), 0n)
    pool.add(honest, 0n)
    expect(pool.has(honest.hash)).toBe(true)
    expect(pool.size).toBe(100)
  })

  it('reserves room for pending txs: queued txs take at most their share', () => {
    const pool = new Mempool({ maxPerSender: 1_024, maxTotal: 100 }) // queued share: 25
    let rejected = 0
    for (let i = 1; i <= 40; i++) {
      try {
        pool.add(ptx(sender(i), 7n), 0n)
      } catch (error) {
        expect((error as { code: number }).code).toBe(-32003)
        rejected++
      }
    }
    expect(pool.queuedCount).toBe(25)
    expect(rejected).toBe(15)
    for (let i = 100; i < 175; i++) pool.add(ptx(sender(i), 0n), 0n)
    expect(pool.size).toBe(100)
  })

  it('caps queued txs per sender (64) and expires them after the lifetime (3 h)', () => {
    let now = 0
    const pool = new Mempool({ maxPerSender: 1_024, maxTotal: 10_000 }, () => now)
    for (let n = 1n; n <= 64n; n++) pool.add(ptx(sender(1), n), 0n)
    expect(() => pool.add(ptx(sender(1), 65n), 0n)).toThrow(/at most 64 queued/)
    // Pending txs of a sender are not queued: 0..99 in order all fit.
    for (let n = 0n; n < 100n; n++) pool.add(ptx(sender(2), n), 0n)
    expect(pool.queuedCount).toBe(64)
    now = 3 * 3_600_000 + 1
    pool.expire()
    expect(pool.queuedCount).toBe(0)
    expect(pool.size).toBe(100)
  })

  it('answers at once for a nonce far ahead of the state nonce', () => {
    const pool = new Mempool({ maxPerSender: 1_024, maxTotal: 100 })
    pool.add(ptx(sender(1), 2n ** 63n), 0n)
    expect(pool.queuedCount).toBe(1)
  })
})
