/**
 * One pass of puts over a Merkle Patricia Trie: the keys of a flush sorted, the trie walked once
 * from the root, and every node on the union of their paths re-encoded and hashed once. ethereumjs'
 * `put` walks root-to-leaf and re-hashes the whole path for each key, so a block's ~400 dirty
 * accounts hashed the root and upper branches ~400 times (~1,600 node hashes where one pass needs
 * ~670). Puts only: a put never collapses a node, so the new trie follows from the old one and the
 * new keys alone; deletions stay with ethereumjs' `del` (`FlatStateManager.flush` applies them
 * first — a trie's root depends on its contents, not on the order they were written).
 */

import type { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { equalsBytes } from '@ethereumjs/util'
import { encodeNode, hexPrefix } from '../chain/ordered-trie.ts'
import { decodeView } from './rlp-view.ts'

/** A decoded node (branch: 17 items, leaf or extension: 2) or a reference inside one. */
type Raw = Uint8Array | Raw[]
/** A key as its 64 nibbles (keys are 32-byte hashes, so none is a prefix of another). */
type Item = { path: number[]; value: Uint8Array }

const EMPTY = new Uint8Array()

/** The trie's own key transform and node hash (protected in ethereumjs' types, public at runtime). */
type Hashing = { appliedKey(key: Uint8Array): Uint8Array; hash(bytes: Uint8Array): Uint8Array }

/** Writes `entries` ([key before hashing, non-empty value]) into `trie` and sets its new root. */
export async function putMany(trie: MerklePatriciaTrie, entries: ReadonlyArray<[Uint8Array, Uint8Array]>) {
  if (entries.length === 0) return
  const hashing = trie as unknown as Hashing
  const items = entries.map(([key, value]) => ({ path: toNibbles(hashing.appliedKey(key)), value }))
  items.sort((a, b) => compare(a.path, b.path))
  const unique = items.filter(
    (item, i) => i + 1 === items.length || compare(item.path, (items[i + 1] as Item).path) !== 0,
  )
  const writer = new NodeWriter(trie)
  const root = trie.root()
  const old = equalsBytes(root, trie.EMPTY_TRIE_ROOT) ? undefined : await writer.load(root)
  const updated = await writer.update(old, 0, unique, 0, unique.length)
  // The root node is stored by its hash whatever its size.
  const encoded = encodeNode(updated)
  const hash = hashing.hash(encoded)
  writer.ops.push({ type: 'put', key: hash, value: encoded })
  await trie.database().batch(writer.ops)
  trie.root(hash)
}

class NodeWriter {
  readonly ops: Array<{ type: 'put'; key: Uint8Array; value: Uint8Array }> = []
  constructor(private readonly trie: MerklePatriciaTrie) {}

  async load(hash: Uint8Array): Promise<Raw[]> {
    const encoded = await this.trie.database().get(hash)
    if (encoded === undefined) throw new Error(`Missing trie node ${toHexShort(hash)}`)
    // A view: stored nodes are never mutated, and a rewritten node copies what it keeps.
    return decodeView(encoded) as Raw[]
  }

  /** The node `ref` points to (a hash, an embedded node or nothing). */
  async resolve(ref: Raw): Promise<Raw[] | undefined> {
    if (Array.isArray(ref)) return ref
    if (ref.length === 0) return undefined
    return this.load(ref)
  }

  /** Children of 32 bytes of RLP or more are stored and referenced by hash, smaller ones embedded. */
  ref(node: Raw[]): Raw {
    const encoded = encodeNode(node)
    if (encoded.length < 32) return node
    const hash = (this.trie as unknown as Hashing).hash(encoded)
    this.ops.push({ type: 'put', key: hash, value: encoded })
    return hash
  }

  /** `node` (at `depth` nibbles) with items[lo..hi) written into it (all share its path so far). */
  async update(node: Raw[] | undefined, depth: number, items: Item[], lo: number, hi: number): Promise<Raw[]> {
    if (node === undefined) return this.build(depth, items, lo, hi)
    if (node.length === 17) {
      const branch = node.slice()
      await this.updateChildren(branch, depth, items, lo, hi)
      return branch
    }
    const nibbles = fromHexPrefix(node[0] as Uint8Array)
    if (nibbles.leaf) {
      // The leaf's key joins the new items unless one of them replaces its value.
      const path = (items[lo] as Item).path.slice(0, depth).concat(nibbles.path)
      const merged = items.slice(lo, hi)
      if (!merged.some((item) => compare(item.path, path) === 0)) {
        merged.push({ path, value: node[1] as Uint8Array })
        merged.sort((a, b) => compare(a.path, b.path))
      }
      return this.build(depth, merged, 0, merged.length)
    }
    // Extension: how far do all new items follow its path?
    const ext = nibbles.path
    const shared = Math.min(
      commonLength(ext, (items[lo] as Item).path, depth),
      commonLength(ext, (items[hi - 1] as Item).path, depth),
    )
    if (shared === ext.length) {
      const child = await this.update(await this.resolve(node[1] as Raw), depth + shared, items, lo, hi)
      return [node[0] as Uint8Array, this.ref(child)]
    }
    // Split it: a branch where the items leave its path, the rest of it below that branch's slot.
    const branch: Raw[] = Array.from({ length: 17 }, () => EMPTY)
    const rest = ext.slice(shared + 1)
    const slot = ext[shared] as number
    // Left as a node (not yet a reference): items may still be written below it.
    branch[slot] = rest.length > 0 ? [hexPrefix(rest, false), node[1] as Raw] : (node[1] as Raw)
    await this.updateChildren(branch, depth + shared, items, lo, hi)
    const below = branch[slot] as Raw
    if (Array.isArray(below)) branch[slot] = this.ref(below)
    return shared > 0 ? [hexPrefix(ext.slice(0, shared), false), this.ref(branch)] : branch
  }

  /** Writes items[lo..hi) into the children of `branch` (at `depth`), one child per nibble run. */
  private async updateChildren(branch: Raw[], depth: number, items: Item[], lo: number, hi: number) {
    for (let start = lo; start < hi; ) {
      const nibble = (items[start] as Item).path[depth] as number
      let end = start + 1
      while (end < hi && (items[end] as Item).path[depth] === nibble) end++
      const child = await this.resolve(branch[nibble] as Raw)
      branch[nibble] = this.ref(await this.update(child, depth + 1, items, start, end))
      start = end
    }
  }

  /** A new subtree holding items[lo..hi), sorted and distinct. */
  private build(depth: number, items: Item[], lo: number, hi: number): Raw[] {
    const first = items[lo] as Item
    if (hi - lo === 1) return [hexPrefix(first.path.slice(depth), true), first.value]
    const shared = commonLength(first.path.slice(depth), (items[hi - 1] as Item).path, depth)
    const branch: Raw[] = Array.from({ length: 17 }, () => EMPTY)
    for (let start = lo; start < hi; ) {
      const nibble = (items[start] as Item).path[depth + shared] as number
      let end = start + 1
      while (end < hi && (items[end] as Item).path[depth + shared] === nibble) end++
      branch[nibble] = this.ref(this.build(depth + shared + 1, items, start, end))
      start = end
    }
    return shared > 0 ? [hexPrefix(first.path.slice(depth, depth + shared), false), this.ref(branch)] : branch
  }
}

/** How many leading nibbles of `prefix` equal `path` from `depth` on. */
function commonLength(prefix: number[], path: number[], depth: number): number {
  let n = 0
  while (n < prefix.length && depth + n < path.length && prefix[n] === path[depth + n]) n++
  return n
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number)
  return a.length - b.length
}

function toNibbles(key: Uint8Array): number[] {
  const out = new Array<number>(key.length * 2)
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = (key[i] as number) >> 4
    out[2 * i + 1] = (key[i] as number) & 15
  }
  return out
}

function fromHexPrefix(encoded: Uint8Array): { path: number[]; leaf: boolean } {
  const flag = (encoded[0] as number) >> 4
  const path: number[] = []
  if (flag & 1) path.push((encoded[0] as number) & 15)
  for (let i = 1; i < encoded.length; i++) path.push((encoded[i] as number) >> 4, (encoded[i] as number) & 15)
  return { path, leaf: flag >= 2 }
}

function toHexShort(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('')
}
