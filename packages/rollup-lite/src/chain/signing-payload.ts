/**
 * The signing payload of a typed (EIP-2718) transaction cut out of its raw bytes: the type byte and
 * the RLP list of every field but the signature (the last three items). ethereumjs rebuilds it from
 * the decoded fields (every number back to bytes, then RLP) for each sender recovery; slicing the
 * bytes the sender signed gives the same payload at a fraction of the cost.
 */
import { rlpHeaderLength, writeRlpHeader } from '../protocol/codec/rlp-list.ts'

/** Where the RLP item starting at `at` ends, or undefined if it overruns `end`. */
function itemEnd(bytes: Uint8Array, at: number, end: number): number | undefined {
  const b = bytes[at]
  if (b === undefined || at >= end) return undefined
  let next: number
  if (b < 0x80) next = at + 1
  else if (b <= 0xb7) next = at + 1 + (b - 0x80)
  else if (b <= 0xbf || (b >= 0xf8 && b <= 0xff)) {
    const lengthBytes = b <= 0xbf ? b - 0xb7 : b - 0xf7
    let length = 0
    for (let i = 1; i <= lengthBytes; i++) length = length * 256 + (bytes[at + i] ?? 0)
    next = at + 1 + lengthBytes + length
  } else next = at + 1 + (b - 0xc0)
  return next <= end ? next : undefined
}

/**
 * `type || RLP(fields without yParity, r, s)` of a typed transaction, or undefined for a legacy tx
 * or bytes that are not one RLP list of at least three items (the caller falls back to ethereumjs,
 * whose decoder already rejected malformed input).
 */
export function typedSigningPayload(raw: Uint8Array): Uint8Array | undefined {
  const type = raw[0]
  if (type === undefined || type >= 0x80 || raw[1] === undefined || raw[1] < 0xc0) return undefined
  const header = raw[1] as number
  const lengthBytes = header >= 0xf8 ? header - 0xf7 : 0
  const start = 2 + lengthBytes
  const items: number[] = []
  for (let at = start; at < raw.length; ) {
    const next = itemEnd(raw, at, raw.length)
    if (next === undefined) return undefined
    items.push(at)
    at = next
  }
  if (items.length < 3) return undefined
  const body = raw.subarray(start, items[items.length - 3])
  const out = new Uint8Array(1 + rlpHeaderLength(body.length) + body.length)
  out[0] = type
  out.set(body, writeRlpHeader(out, 1, 0xc0, body.length))
  return out
}
