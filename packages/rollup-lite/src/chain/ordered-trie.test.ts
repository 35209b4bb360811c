import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { keccak256 as viemKeccak } from 'viem'
import { describe, expect, it } from 'vitest'
import { orderedTrieRoot } from './ordered-trie.ts'

async function reference(values: Uint8Array[]): Promise<Uint8Array> {
  const trie = new MerklePatriciaTrie()
  for (const [i, v] of values.entries()) await trie.put(RLP.encode(i), v)
  return trie.root()
}

describe('orderedTrieRoot', () => {
  it('matches @ethereumjs/mpt for 0..300 entries of mixed sizes', async () => {
    for (const n of [0, 1, 2, 3, 16, 17, 127, 128, 129, 300]) {
      const values = Array.from({ length: n }, (_, i) => new Uint8Array(1 + ((i * 37) % 90)).fill(i % 256))
      expect(Buffer.from(orderedTrieRoot(values, (b) => viemKeccak(b, 'bytes'))).toString('hex'), `n=${n}`).toBe(
        Buffer.from(await reference(values)).toString('hex'),
      )
    }
  })

  it('matches @ethereumjs/mpt for values past 255 and 65,535 bytes (long RLP lengths)', async () => {
    const values = [300, 70_000, 1, 56, 255, 256].map((size, i) => new Uint8Array(size).fill(0x80 + i))
    expect(Buffer.from(orderedTrieRoot(values, (b) => viemKeccak(b, 'bytes'))).toString('hex')).toBe(
      Buffer.from(await reference(values)).toString('hex'),
    )
  })
})
