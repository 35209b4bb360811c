import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { bigIntToUnpaddedBytes, KECCAK256_NULL, KECCAK256_RLP, ValueEncoding } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { TRIE_NODE_PREFIX } from '../chain/codec.ts'
import { memoryKv } from './memory-kv.ts'
import { TrieDb } from './trie-db.ts'

const trieOver = (db: TrieDb, root?: Uint8Array) =>
  new MerklePatriciaTrie({ db, root, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes })

/** A small deterministic PRNG (mulberry32): the same state on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const bytes = (random: () => number, length: number) => Uint8Array.from({ length }, () => Math.floor(random() * 256))

type Account = { nonce: bigint; balance: bigint; storage: Map<string, [Uint8Array, Uint8Array]>; root: Uint8Array }

describe('TrieDb.seal', () => {
  it('persists every node the new state root reaches, storage tries included, and no node twice', async () => {
    const random = prng(7)
    const kv = memoryKv()
    const db = new TrieDb(kv)
    const accounts = new Map<string, [Uint8Array, Account]>()
    let root = KECCAK256_RLP
    // The node's disk: only what seal() returned, read by a fresh TrieDb (no pending, no cache).
    const disk = memoryKv()
    const written = new Set<string>()
    for (let block = 0; block < 6; block++) {
      const state = trieOver(db, root)
      for (let i = 0; i < (block === 0 ? 120 : 30); i++) {
        const existing = [...accounts.values()]
        const [address, account] =
          existing.length > 0 && random() < 0.5
            ? (existing[Math.floor(random() * existing.length)] as [Uint8Array, Account])
            : [bytes(random, 20), { nonce: 0n, balance: 0n, storage: new Map(), root: KECCAK256_RLP }]
        account.nonce += 1n
        account.balance += BigInt(Math.floor(random() * 1e9)) * 10n ** 12n
        if (random() < 0.4) {
          const storage = trieOver(db, account.root)
          for (let s = 0; s < 1 + Math.floor(random() * 6); s++) {
            // Short slot values make storage nodes under 32 bytes, embedded in their parents.
            const slot = bytes(random, 32)
            const value = RLP.encode(bytes(random, random() < 0.5 ? 1 : 20))
            await storage.put(slot, value)
            account.storage.set(slot.join(), [slot, value])
          }
          account.root = storage.root()
        }
        accounts.set(address.join(), [address, account])
        await state.put(
          address,
          RLP.encode([
            bigIntToUnpaddedBytes(account.nonce),
            bigIntToUnpaddedBytes(account.balance),
            account.root,
            KECCAK256_NULL,
          ]),
        )
      }
      root = state.root()
      const ops = db.seal(root)
      for (const op of ops) {
        expect(written.has(op.key)).toBe(false)
        written.add(op.key)
        expect(op.key.startsWith(TRIE_NODE_PREFIX)).toBe(true)
      }
      await disk.batch(ops)

      const fresh = new TrieDb(disk)
      const readState = trieOver(fresh, root)
      for (const [address, account] of accounts.values()) {
        const leaf = RLP.decode((await readState.get(address)) as Uint8Array) as Uint8Array[]
        expect(leaf[2]).toEqual(account.root)
        const readStorage = trieOver(fresh, account.root)
        for (const [slot, value] of account.storage.values()) expect(await readStorage.get(slot)).toEqual(value)
      }
    }
  })
})
