/**
 * Root of a Merkle Patricia Trie built in one pass from all its (key, value) pairs — what the
 * transactions and receipts roots need (keys RLP(index)). An incremental MPT takes ~0.4-1 ms
 * per insert here; building bottom-up hashes each node once.
 */
import { RLP } from '@ethereumjs/rlp'

type Node = Uint8Array | Node[]

function toNibbles(key: Uint8Array): number[] {
  const out = new Array<number>(key.length * 2)
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = (key[i] as number) >> 4
    out[2 * i + 1] = (key[i] as number) & 15
  }
  return out
}

/** Hex-prefix encoding of a nibble path (leaf flag 2, odd length flag 1). */
export function hexPrefix(nibbles: number[], leaf: boolean): Uint8Array {
  const odd = nibbles.length % 2
  const flag = (leaf ? 2 : 0) + odd
  const out = new Uint8Array(Math.floor(nibbles.length / 2) + 1)
  out[0] = odd ? (flag << 4) | (nibbles[0] as number) : flag << 4
  for (let i = odd, j = 1; i < nibbles.length; i += 2, j++)
    out[j] = ((nibbles[i] as number) << 4) | (nibbles[i + 1] as number)
  return out
}

type Entry = { path: number[]; value: Uint8Array }

function build(entries: Entry[], depth: number, hash: (b: Uint8Array) => Uint8Array): Node {
  if (entries.length === 1) {
    const e = entries[0] as Entry
    return [hexPrefix(e.path.slice(depth), true), e.value]
  }
  // Longest common prefix below `depth`.
  const first = (entries[0] as Entry).path
  let shared = 0
  for (;;) {
    const n = first[depth + shared]
    if (n === undefined || !entries.every((e) => e.path[depth + shared] === n)) break
    shared++
  }
  if (shared > 0) {
    return [hexPrefix(first.slice(depth, depth + shared), false), ref(build(entries, depth + shared, hash), hash)]
  }
  const branch: Node[] = Array.from({ length: 17 }, () => new Uint8Array())
  const groups: Entry[][] = Array.from({ length: 16 }, () => [])
  for (const e of entries) {
    const n = e.path[depth]
    if (n === undefined) branch[16] = e.value
    else (groups[n] as Entry[]).push(e)
  }
  groups.forEach((g, i) => {
    if (g.length > 0) branch[i] = ref(build(g, depth + 1, hash), hash)
  })
  return branch
}

/** Children under 32 bytes of RLP are embedded, others referenced by hash. */
function ref(node: Node, hash: (b: Uint8Array) => Uint8Array): Node {
  const encoded = encodeNode(node)
  return encoded.length < 32 ? node : hash(encoded)
}

/** Writes an RLP length header (`short` 0x80 for a string, 0xc0 for a list) at `at`; returns the end. */
export function lengthPrefix(out: Uint8Array, at: number, length: number, short: number): number {
  if (length <= 55) {
    out[at] = short + length
    return at + 1
  }
  let digits = 0
  for (let l = length; l > 0; l = Math.floor(l / 256)) digits++
  out[at] = short + 55 + digits
  for (let i = digits, l = length; i > 0; i--, l = Math.floor(l / 256)) out[at + i] = l % 256
  return at + 1 + digits
}

/**
 * RLP of a node whose items are all byte strings (every leaf, extension and branch of these tries
 * but one embedding a child node), written into one buffer: ethereumjs' encoder allocates and
 * concatenates per item, which was most of this module's time in profiles.
 */
export function encodeNode(node: Node): Uint8Array {
  if (!Array.isArray(node) || node.some((item) => !(item instanceof Uint8Array))) return RLP.encode(node)
  const items = node as Uint8Array[]
  let body = 0
  for (const item of items)
    body += item.length === 1 && (item[0] as number) < 0x80 ? 1 : headerSize(item.length) + item.length
  const out = new Uint8Array(headerSize(body) + body)
  let at = lengthPrefix(out, 0, body, 0xc0)
  for (const item of items) {
    if (item.length === 1 && (item[0] as number) < 0x80) out[at++] = item[0] as number
    else {
      at = lengthPrefix(out, at, item.length, 0x80)
      out.set(item, at)
      at += item.length
    }
  }
  return out
}

/** Bytes of the RLP header of a payload of `length` bytes. */
export function headerSize(length: number): number {
  if (length <= 55) return 1
  let digits = 0
  for (let l = length; l > 0; l = Math.floor(l / 256)) digits++
  return 1 + digits
}

const EMPTY_ROOT_RLP = RLP.encode(new Uint8Array())

export function orderedTrieRoot(values: readonly Uint8Array[], hash: (b: Uint8Array) => Uint8Array): Uint8Array {
  if (values.length === 0) return hash(EMPTY_ROOT_RLP)
  const entries = values.map((value, i) => ({ path: toNibbles(RLP.encode(i)), value }))
  return hash(encodeNode(build(entries, 0, hash)))
}
