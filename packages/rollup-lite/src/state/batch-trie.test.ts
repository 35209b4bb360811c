import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { bytesToHex, ValueEncoding } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { putMany } from './batch-trie.ts'
import { memoryKv } from './memory-kv.ts'
import { TrieDb } from './trie-db.ts'

/** A trie as the node's: over the node's trie database (pending writes, cache, KV). */
function trie(useKeyHashing: boolean) {
  return new MerklePatriciaTrie({ db: new TrieDb(memoryKv()), useKeyHashing, valueEncoding: ValueEncoding.Bytes })
}

/** A small deterministic PRNG (mulberry32): the same operation sequence on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function bytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256))
}

describe('putMany', () => {
  it('gives the roots and nodes of ethereumjs put/del over random rounds of writes, overwrites and deletes', async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const random = prng(seed)
      // Hashed keys as the state tries, and raw keys sharing prefixes (deep extensions to split).
      const useKeyHashing = seed % 2 === 1
      const reference = trie(useKeyHashing)
      const batched = trie(useKeyHashing)
      const keys: Uint8Array[] = []
      for (let round = 0; round < 15; round++) {
        const writes: Array<[Uint8Array, Uint8Array]> = []
        const deletes: Uint8Array[] = []
        const count = 1 + Math.floor(random() * (round === 0 ? 200 : 40))
        for (let i = 0; i < count; i++) {
          const op = random()
          if (op < 0.15 && keys.length > 0) {
            deletes.push(keys[Math.floor(random() * keys.length)] as Uint8Array)
            continue
          }
          let key: Uint8Array
          if (op < 0.45 && keys.length > 0) key = keys[Math.floor(random() * keys.length)] as Uint8Array
          else {
            key = bytes(random, 32)
            if (!useKeyHashing && keys.length > 0 && random() < 0.6) {
              // Share a random-length prefix with a known key: extensions, splits below them.
              key.set((keys[Math.floor(random() * keys.length)] as Uint8Array).subarray(0, Math.floor(random() * 31)))
            }
            keys.push(key)
          }
          // Short values make nodes under 32 bytes (embedded in their parent), long ones do not.
          writes.push([key, bytes(random, random() < 0.5 ? 1 + Math.floor(random() * 3) : 40)])
        }
        // ethereumjs applies them one by one; the batch path deletes first, then puts in one pass.
        const last = new Map<string, Uint8Array | undefined>()
        for (const key of deletes) last.set(bytesToHex(key), undefined)
        for (const [key, value] of writes) last.set(bytesToHex(key), value)
        for (const [hex, value] of last) {
          const key = Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
          if (value === undefined) await reference.del(key)
          else await reference.put(key, value)
        }
        const puts: Array<[Uint8Array, Uint8Array]> = []
        for (const [hex, value] of last) {
          const key = Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
          if (value === undefined) await batched.del(key)
          else puts.push([key, value])
        }
        await putMany(batched, puts.reverse())
        expect(bytesToHex(batched.root()), `seed ${seed} round ${round}`).toBe(bytesToHex(reference.root()))
        // Every node of the new trie is readable (stored under its hash).
        for (const [hex, value] of last) {
          const key = Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
          expect(await batched.get(key)).toEqual(value ?? null)
        }
      }
    }
  })

  it('keeps the last value of a key written twice in one batch', async () => {
    const reference = trie(true)
    const batched = trie(true)
    const key = new Uint8Array(32).fill(7)
    await reference.put(key, Uint8Array.of(2))
    await putMany(batched, [
      [key, Uint8Array.of(1)],
      [key, Uint8Array.of(2)],
    ])
    expect(bytesToHex(batched.root())).toBe(bytesToHex(reference.root()))
  })
})
