import { RLP } from '@ethereumjs/rlp'
import { describe, expect, it } from 'vitest'
import { decodeView } from './rlp-view.ts'

type Nested = Uint8Array | Nested[]

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomItem(random: () => number, depth: number): Nested {
  if (depth > 2 || random() < 0.5) {
    // Single bytes below 0x80, short strings, and strings past 55 bytes (long length headers).
    const length = [0, 1, 1, 20, 32, 56, 300][Math.floor(random() * 7)] as number
    return Uint8Array.from({ length }, () => Math.floor(random() * 256))
  }
  return Array.from({ length: Math.floor(random() * (depth === 0 ? 18 : 5)) }, () => randomItem(random, depth + 1))
}

describe('decodeView', () => {
  it('decodes as ethereumjs RLP does, with byte strings that are views into the input', () => {
    const random = prng(3)
    for (let i = 0; i < 200; i++) {
      const encoded = RLP.encode(randomItem(random, 0))
      const view = decodeView(encoded)
      expect(view).toEqual(RLP.decode(encoded))
      const first = (Array.isArray(view) ? view.flat(8).find((v) => v.length > 1) : view) as Uint8Array | undefined
      if (first && first.length > 1) expect(first.buffer).toBe(encoded.buffer)
    }
  })

  it('throws on an item running past the input and on trailing bytes', () => {
    const encoded = RLP.encode([new Uint8Array(40).fill(1), new Uint8Array([5])])
    expect(() => decodeView(encoded.subarray(0, encoded.length - 2))).toThrow()
    expect(() => decodeView(Uint8Array.from([...encoded, 0x01]))).toThrow()
  })
})
