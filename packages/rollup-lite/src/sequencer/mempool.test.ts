import type { TypedTransaction } from '@ethereumjs/tx'
import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { Mempool, type PoolTx } from './mempool.ts'

let counter = 0
const ptx = (sender: Hex, nonce: bigint, maxFee: bigint, maxTip: bigint): PoolTx => ({
  tx: {} as TypedTransaction,
  raw: new Uint8Array(),
  hash: `0x${(++counter).toString(16).padStart(64, '0')}`,
  sender,
  nonce,
  maxFee,
  maxTip,
})

const A = '0x000000000000000000000000000000000000000a'
const B = '0x000000000000000000000000000000000000000b'

describe('Mempool', () => {
  it('picks the highest tip among executable txs, in each sender nonce order', () => {
    const pool = new Mempool({ maxPerSender: 10, maxTotal: 100 })
    pool.add(ptx(A, 0n, 100n, 1n))
    pool.add(ptx(A, 1n, 100n, 50n))
    pool.add(ptx(B, 0n, 100n, 10n))
    const nonces = new Map<Hex, bigint>([
      [A, 0n],
      [B, 0n],
    ])
    const order: string[] = []
    for (let p = pool.best((s) => nonces.get(s), 10n); p; p = pool.best((s) => nonces.get(s), 10n)) {
      order.push(`${p.sender === A ? 'A' : 'B'}${p.nonce}`)
      pool.remove(p)
      nonces.set(p.sender, p.nonce + 1n)
    }
    // B0 (tip 10) beats A0 (tip 1); A1 (tip 50) must wait for A0.
    expect(order).toEqual(['B0', 'A0', 'A1'])
  })

  it('skips txs whose fee cap is below the base fee and caps tips by headroom', () => {
    const pool = new Mempool({ maxPerSender: 10, maxTotal: 100 })
    pool.add(ptx(A, 0n, 50n, 40n)) // headroom 50-20 = 30 → effective 30
    pool.add(ptx(B, 0n, 100n, 35n))
    expect(pool.best(() => 0n, 20n)?.sender).toBe(B)
    expect(pool.best(() => 0n, 60n)?.sender).toBe(B)
    expect(pool.best(() => 0n, 200n)).toBeUndefined()
  })

  it('replaces a same-nonce tx only with a 10% bump on both fee caps', () => {
    const pool = new Mempool({ maxPerSender: 10, maxTotal: 100 })
    const first = pool.add(ptx(A, 0n, 100n, 10n))
    expect(first).toBeUndefined()
    expect(() => pool.add(ptx(A, 0n, 109n, 11n))).toThrow(/replacement transaction underpriced/)
    expect(() => pool.add(ptx(A, 0n, 110n, 10n))).toThrow(/replacement transaction underpriced/)
    const better = ptx(A, 0n, 110n, 11n)
    expect(pool.add(better)?.maxFee).toBe(100n)
    expect(pool.size).toBe(1)
    expect(pool.has(better.hash)).toBe(true)
  })

  it('bounds txs per sender and in total', () => {
    const pool = new Mempool({ maxPerSender: 2, maxTotal: 3 })
    pool.add(ptx(A, 0n, 1n, 1n))
    pool.add(ptx(A, 1n, 1n, 1n))
    expect(() => pool.add(ptx(A, 2n, 1n, 1n))).toThrow(/account limit/)
    pool.add(ptx(B, 0n, 1n, 1n))
    expect(() => pool.add(ptx(B, 1n, 1n, 1n))).toThrow(/txpool is full/)
  })
})
