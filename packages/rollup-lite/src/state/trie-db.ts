/**
 * The database under the state trie (all tries: accounts, storage, code share it).
 * Writes stay in memory (`pending`) until a block is sealed; then only nodes reachable from the
 * new state root (plus new code) become KV ops — intermediate nodes the trie rewrote during the
 * block are dropped. Persisted nodes stay in a bounded read cache so the hot path never waits on
 * the KV (IndexedDB reads on the hot path kill throughput).
 */
import { RLP } from '@ethereumjs/rlp'
import type { BatchDBOp, DB } from '@ethereumjs/util'
import type { KV, KvOp } from './kv.ts'

export const TRIE_NODE_PREFIX = 'n:'
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
    const stack: Array<{ hash: Uint8Array; accountTrie: boolean }> = [{ hash: stateRoot, accountTrie: true }]
    while (stack.length > 0) {
      const { hash, accountTrie } = stack.pop() as { hash: Uint8Array; accountTrie: boolean }
      const raw = take(toHex(hash))
      if (raw === undefined) continue // already persisted: its whole subtree is too
      visitNode(RLP.decode(raw) as NestedBytes, accountTrie, stack)
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

type NestedBytes = Uint8Array | NestedBytes[]

function visitNode(node: NestedBytes, accountTrie: boolean, stack: Array<{ hash: Uint8Array; accountTrie: boolean }>) {
  if (!Array.isArray(node)) return
  if (node.length === 17) {
    for (let i = 0; i < 16; i++) visitChild(node[i] as NestedBytes, accountTrie, stack)
    return
  }
  if (node.length !== 2) return
  const path = node[0] as Uint8Array
  const isLeaf = path.length > 0 && (path[0] as number) >> 4 >= 2
  if (!isLeaf) {
    visitChild(node[1] as NestedBytes, accountTrie, stack)
    return
  }
  if (!accountTrie) return
  // Account leaf: RLP([nonce, balance, storageRoot, codeHash]) — descend into its storage trie.
  const account = RLP.decode(node[1] as Uint8Array) as Uint8Array[]
  const storageRoot = account[2]
  if (storageRoot !== undefined && storageRoot.length === 32) stack.push({ hash: storageRoot, accountTrie: false })
}

function visitChild(
  child: NestedBytes,
  accountTrie: boolean,
  stack: Array<{ hash: Uint8Array; accountTrie: boolean }>,
) {
  if (child instanceof Uint8Array) {
    if (child.length === 32) stack.push({ hash: child, accountTrie })
    return
  }
  // Inline node (< 32 bytes): cannot hold a hash reference, but may be a leaf/extension — walk it.
  visitNode(child, accountTrie, stack)
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
export function toHex(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] as number]
  return out
}
