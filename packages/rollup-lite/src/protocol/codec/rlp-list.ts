/**
 * RLP (yellow paper, appendix B) of a flat list of byte strings, written straight into one buffer,
 * optionally behind an EIP-2718 type byte. `EMPTY_LIST` stands for an empty list item (an EIP-1559
 * access list with no entries). The same bytes as `RLP.encode` of the same items; the generic
 * encoder built a hex string per length and copied each level, ~10 µs of a verifier's decode per
 * transaction.
 */
export const EMPTY_LIST = null

type Item = Uint8Array | typeof EMPTY_LIST

const isSingleByte = (b: Uint8Array) => b.length === 1 && (b[0] as number) < 0x80

/** Bytes of a length header for a payload of `length` (short form below 56). */
export const rlpHeaderLength = (length: number) => (length < 56 ? 1 : 1 + byteLength(length))

function byteLength(n: number): number {
  let bytes = 0
  for (; n > 0; n = Math.floor(n / 256)) bytes++
  return bytes
}

/** Writes the header of a string (`shortBase` 0x80) or list (0xc0) payload of `length` at `at`; returns where it ends. */
export function writeRlpHeader(out: Uint8Array, at: number, shortBase: 0x80 | 0xc0, length: number): number {
  if (length < 56) {
    out[at] = shortBase + length
    return at + 1
  }
  const size = byteLength(length)
  out[at] = shortBase + 55 + size
  for (let i = size; i > 0; i--, length = Math.floor(length / 256)) out[at + i] = length % 256
  return at + 1 + size
}

export function rlpList(items: readonly Item[], type?: number): Uint8Array {
  let payload = 0
  for (const item of items) {
    if (item === EMPTY_LIST) payload += 1
    else payload += isSingleByte(item) ? 1 : rlpHeaderLength(item.length) + item.length
  }
  const prefix = type === undefined ? 0 : 1
  const out = new Uint8Array(prefix + rlpHeaderLength(payload) + payload)
  if (prefix) out[0] = type!
  let at = writeRlpHeader(out, prefix, 0xc0, payload)
  for (const item of items) {
    if (item === EMPTY_LIST) {
      out[at++] = 0xc0
    } else if (isSingleByte(item)) {
      out[at++] = item[0]!
    } else {
      at = writeRlpHeader(out, at, 0x80, item.length)
      out.set(item, at)
      at += item.length
    }
  }
  return out
}
