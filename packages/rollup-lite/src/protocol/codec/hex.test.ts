import { bytesToHex as viemBytesToHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { rng } from './fixtures.ts'
import { bytesToHex } from './hex.ts'

describe('bytesToHex', () => {
  it("gives viem's lower-case hex for every byte value and length", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(bytesToHex(all)).toBe(viemBytesToHex(all))
    expect(bytesToHex(new Uint8Array(0))).toBe('0x')
    const random = rng(5)
    for (let n = 0; n < 300; n++) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(random() * 256))
      expect(bytesToHex(bytes)).toBe(viemBytesToHex(bytes))
    }
  })

  it('reads only the view it is given', () => {
    const buffer = Uint8Array.of(0xaa, 0x01, 0x02, 0xbb)
    expect(bytesToHex(buffer.subarray(1, 3))).toBe('0x0102')
  })
})
