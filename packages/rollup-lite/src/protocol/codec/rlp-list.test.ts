import { RLP } from '@ethereumjs/rlp'
import { describe, expect, it } from 'vitest'
import { rng } from './fixtures.ts'
import { EMPTY_LIST, rlpList } from './rlp-list.ts'

describe('rlpList', () => {
  const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill)
  // Item sizes on every side of RLP's boundaries: one byte below and above 0x80, 55/56-byte strings,
  // and lists whose payload crosses 55 bytes and 256 bytes (one and two length bytes).
  const sizes = [0, 1, 2, 31, 32, 54, 55, 56, 57, 255, 256, 300, 70_000]

  it('writes what RLP.encode writes for every item size, with and without a type byte', () => {
    for (const size of sizes) {
      for (const fill of [0x00, 0x7f, 0x80, 0xff]) {
        const items = [bytes(size, fill), new Uint8Array(0), Uint8Array.of(fill), bytes(size, 1)]
        expect(rlpList(items)).toEqual(RLP.encode(items))
        const typed = rlpList(items, 2)
        expect(typed[0]).toBe(2)
        expect(typed.subarray(1)).toEqual(RLP.encode(items))
      }
    }
  })

  it('writes an empty list item as RLP does (an access list with no entries)', () => {
    const items = [Uint8Array.of(1), EMPTY_LIST, bytes(40, 9)]
    expect(rlpList(items)).toEqual(RLP.encode([Uint8Array.of(1), [], bytes(40, 9)]))
    expect(rlpList([])).toEqual(RLP.encode([]))
  })

  it('agrees with RLP.encode on random lists', () => {
    const random = rng(11)
    for (let n = 0; n < 500; n++) {
      const items = Array.from({ length: Math.floor(random() * 14) }, () => {
        const size = [0, 1, 1, 20, 32, 60, 200][Math.floor(random() * 7)]!
        return Uint8Array.from({ length: size }, () => Math.floor(random() * 256))
      })
      expect(rlpList(items)).toEqual(RLP.encode(items))
    }
  })
})
