import type { TypedTransaction } from '@ethereumjs/tx'
import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { Mempool, type PoolTx } from './mempool.ts'
import { Picker } from './picker.ts'

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

  it('Picker picks exactly what best() picks, through executions, failures, refills and base fee changes', () => {
    // A seeded generator: the same cases on every run.
    let seed = 7
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      return seed % n
    }
    for (let round = 0; round < 40; round++) {
      const senders = Array.from(
        { length: 1 + rand(12) },
        (_, i) => `0x${(0x100 + i).toString(16).padStart(40, '0')}` as Hex,
      )
      const fill = () => {
        const pool = new Mempool({ maxPerSender: 64, maxTotal: 10_000 })
        for (const sender of senders)
          for (let n = 0; n < rand(6); n++) pool.add(ptx(sender, BigInt(n), BigInt(10 + rand(30)), BigInt(rand(8))))
        return pool
      }
      // Two identical pools (the generator replays): one drained with best(), one with a Picker.
      const start = seed
      const viaBest = fill()
      seed = start
      const viaPicker = fill()
      type Pick = (nonces: Map<Hex, bigint>, baseFee: bigint) => PoolTx | undefined
      const run = (pool: Mempool, pick: Pick, picked: (p: PoolTx) => void = () => {}) => {
        seed = start + 1
        const nonces = new Map(senders.map((s) => [s, 0n]))
        let baseFee = 15n
        const order: string[] = []
        for (let p = pick(nonces, baseFee); p; p = pick(nonces, baseFee)) {
          order.push(`${p.sender}:${p.nonce}`)
          const fate = rand(10)
          pool.remove(p)
          // Mostly executed; sometimes dropped (its nonce re-read: unchanged).
          if (fate > 0) nonces.set(p.sender, p.nonce + 1n)
          picked(p)
          if (fate === 9) baseFee = BigInt(5 + rand(30)) // the next block
          if (fate === 8) {
            // A tx from a new sender arrives (a change the picker did not make).
            const sender = `0x${(0x900 + order.length).toString(16).padStart(40, '0')}` as Hex
            pool.add(ptx(sender, 0n, 40n, BigInt(rand(8))))
            nonces.set(sender, 0n)
          }
        }
        return order
      }
      const expected = run(viaBest, (nonces, baseFee) => viaBest.best((s) => nonces.get(s), baseFee))
      let picker: Picker | undefined
      const picked = run(
        viaPicker,
        (nonces, baseFee) => {
          if (!picker?.current(baseFee)) picker = new Picker(viaPicker, (s) => nonces.get(s), baseFee)
          return picker.pop()
        },
        (p) => picker?.refresh(p.sender),
      )
      expect(picked).toEqual(expected)
    }
  })
})
