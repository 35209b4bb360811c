/**
 * RLP read in place: item bounds without copies, and a decode whose byte strings are views into
 * the input. For stored trie nodes, which are immutable (content-addressed): ethereumjs' decoder
 * copies every item, and decoding nodes was among the largest allocation sites of a block's seal.
 */

type Nested = Uint8Array | Nested[]

/** The last item `readItem` read: its payload's bounds and whether it is a list. */
export const item = { start: 0, end: 0, list: false }

/** Reads the RLP item header at `pos` into `item`; returns where the item ends. */
export function readItem(b: Uint8Array, pos: number): number {
  const prefix = b[pos] as number
  if (prefix < 0x80) {
    item.start = pos
    item.end = pos + 1
    item.list = false
  } else if (prefix < 0xc0) {
    item.list = false
    if (prefix <= 0xb7) {
      item.start = pos + 1
      item.end = item.start + prefix - 0x80
    } else readLongLength(b, pos, prefix - 0xb7)
  } else {
    item.list = true
    if (prefix <= 0xf7) {
      item.start = pos + 1
      item.end = item.start + prefix - 0xc0
    } else readLongLength(b, pos, prefix - 0xf7)
  }
  return item.end
}

function readLongLength(b: Uint8Array, pos: number, lengthOfLength: number) {
  let length = 0
  for (let i = 1; i <= lengthOfLength; i++) length = length * 256 + (b[pos + i] as number)
  item.start = pos + 1 + lengthOfLength
  item.end = item.start + length
}

/**
 * The RLP of `bytes` with every byte string a subarray of it. Only for bytes nothing mutates
 * (the views share their memory). Throws on an item running past the input or trailing bytes.
 */
export function decodeView(bytes: Uint8Array): Nested {
  const decoded = decodeAt(bytes, 0)
  if (item.end !== bytes.length) throw new Error('invalid RLP: trailing bytes')
  return decoded
}

/** Decodes the item at `pos`; leaves `item.end` at its end. */
function decodeAt(bytes: Uint8Array, pos: number): Nested {
  const end = readItem(bytes, pos)
  if (end > bytes.length) throw new Error('invalid RLP: item runs past the input')
  if (!item.list) return bytes.subarray(item.start, end)
  const list: Nested[] = []
  for (let at = item.start; at < end; at = item.end) list.push(decodeAt(bytes, at))
  item.end = end
  return list
}
