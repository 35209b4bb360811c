/**
 * The database under the state trie (all tries: accounts, storage, code share it).
 * Writes stay in memory (`pending`) until a block is sealed; then only nodes reachable from the
 * new state root (plus new code) become KV ops — intermediate nodes the trie rewrote during the
 * block are dropped. Persisted nodes stay in a bounded read cache so the hot path never waits on
 * the KV (IndexedDB reads on the hot path kill throughput).
 */
import type { BatchDBOp, DB } from '@ethereumjs/util'
import { TRIE_NODE_PREFIX } from '../chain/codec.ts'
import type { KV, KvOp } from './kv.ts'
import { item, readItem } from './rlp-view.ts'

const HEX_NODE_KEY_LENGTH = 64

type NodeValue = Uint8Array

export class TrieDb implements DB<string, Uint8Array> {
  private pending = new Map<string, NodeValue>()
  private cache = new Map<string, NodeValue>()

  constructor(
    private readonly kv: KV,
    private readonly maxCached = 2_000_000,
  ) {}

  async get(key: string): Promise<NodeValue | undefined> {
    const hit = this.pending.get(key) ?? this.cache.get(key)
    if (hit !== undefined) return hit
    const value = await this.kv.get(TRIE_NODE_PREFIX + key)
    if (value !== undefined) this.remember(key, value)
    return value
  }

  async put(key: string, value: NodeValue): Promise<void> {
    this.pending.set(key, value)
  }

  // The trie never deletes with pruning off; history stays readable for eth_getProof at old roots.
  async del(_key: string): Promise<void> {}

  async batch(ops: BatchDBOp<string, NodeValue>[]): Promise<void> {
    for (const op of ops) if (op.type === 'put') this.pending.set(op.key, op.value)
  }

  shallowCopy(): DB<string, Uint8Array> {
    return this
  }

  async open(): Promise<void> {}

  /**
   * Moves what the new root needs from `pending` to the cache and returns the KV ops to persist
   * them. `roots` are the state root (and nothing else: storage roots are found in account leaves).
   */
  seal(stateRoot: Uint8Array): KvOp[] {
    const ops: KvOp[] = []
    // The old map is left as it is (a new one replaces it): snapshot readers may still hold it.
    const pending = this.pending
    const taken = new Set<string>()
    const take = (key: string): NodeValue | undefined => {
      const value = pending.get(key)
      if (value === undefined || taken.has(key)) return undefined
      taken.add(key)
      ops.push({ type: 'put', key: TRIE_NODE_PREFIX + key, value })
      this.remember(key, value)
      return value
    }
    // Code (and any non-node key) is always kept: it is content-addressed and small in number.
    for (const key of pending.keys()) if (key.length !== HEX_NODE_KEY_LENGTH) take(key)
    // Nodes are walked in place (RLP item bounds, no decoded copies): a block's new nodes are
    // most of the seal's work, and decoding each one allocated a copy of every item.
    const stack: Array<{ key: string; accountTrie: boolean }> = [{ key: toHex(stateRoot), accountTrie: true }]
    while (stack.length > 0) {
      const { key, accountTrie } = stack.pop() as { key: string; accountTrie: boolean }
      const raw = take(key)
      if (raw === undefined) continue // already persisted: its whole subtree is too
      if (readItem(raw, 0) > raw.length || !item.list) continue
      visitNode(raw, item.start, item.end, accountTrie, stack)
    }
    this.pending = new Map()
    return ops
  }

  /** Drops unsealed writes (after a failed block). */
  discardPending(): void {
    this.pending = new Map()
  }

  /**
   * A private view for calls on a snapshot of the state: it keeps the unsealed nodes of now, which
   * the next seal drops from this db when the sealed root no longer needs them, and takes the
   * call's own writes (a storage trie without caches writes through) without touching this db.
   */
  snapshotReader(): DB<string, Uint8Array> {
    const pending = this.pending
    const own = new Map<string, NodeValue>()
    const reader: DB<string, Uint8Array> = {
      get: async (key) => own.get(key) ?? pending.get(key) ?? (await this.get(key)),
      put: async (key, value) => {
        own.set(key, value)
      },
      del: async () => {},
      batch: async (ops) => {
        for (const op of ops) if (op.type === 'put') own.set(op.key, op.value)
      },
      shallowCopy: () => reader,
      open: async () => {},
    }
    return reader
  }

  private remember(key: string, value: NodeValue) {
    if (this.cache.size >= this.maxCached) {
      // Map iterates in insertion order: drop the oldest tenth. Nodes are immutable, so a dropped
      // entry is simply read from the KV again.
      let drop = Math.floor(this.maxCached / 10)
      for (const k of this.cache.keys()) {
        this.cache.delete(k)
        if (--drop <= 0) break
      }
    }
    this.cache.set(key, value)
  }
}

type Visit = Array<{ key: string; accountTrie: boolean }>

/** Queues the hash-referenced children of the node whose list payload is b[start, end). */
function visitNode(b: Uint8Array, start: number, end: number, accountTrie: boolean, stack: Visit) {
  let count = 0
  for (let pos = start; pos < end; count++) pos = readItem(b, pos)
  if (count === 17) {
    let pos = start
    for (let i = 0; i < 16; i++) {
      pos = readItem(b, pos)
      visitChild(b, accountTrie, stack)
    }
    return
  }
  if (count !== 2) return
  const valueAt = readItem(b, start) // the path
  const isLeaf = item.end > item.start && (b[item.start] as number) >> 4 >= 2
  readItem(b, valueAt)
  if (!isLeaf) {
    visitChild(b, accountTrie, stack)
    return
  }
  if (!accountTrie || item.list) return
  // Account leaf: RLP([nonce, balance, storageRoot, codeHash]) — descend into its storage trie.
  const accountEnd = item.end
  if (readItem(b, item.start) > accountEnd || !item.list) return
  let pos = item.start
  for (let i = 0; i < 3 && pos < accountEnd; i++) pos = readItem(b, pos)
  if (!item.list && item.end - item.start === 32)
    stack.push({ key: toHex(b, item.start, item.end), accountTrie: false })
}

/** The child `item` points at: a hash reference, or an inline node (< 32 bytes) to walk. */
function visitChild(b: Uint8Array, accountTrie: boolean, stack: Visit) {
  if (!item.list) {
    if (item.end - item.start === 32) stack.push({ key: toHex(b, item.start, item.end), accountTrie })
    return
  }
  // Inline node: cannot hold a hash reference, but may be a leaf/extension — walk it.
  visitNode(b, item.start, item.end, accountTrie, stack)
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = ''
  for (let i = start; i < end; i++) out += HEX[bytes[i] as number]
  return out
}
