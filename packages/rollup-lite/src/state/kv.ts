/**
 * The one storage interface the node needs. Keys are strings (prefix + hex), values bytes.
 * `batch` must be atomic: either every op of a block is visible after a crash or none is.
 */
export type KvOp = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string }

export interface KV {
  get(key: string): Promise<Uint8Array | undefined>
  /** Atomically applies all ops, durably (fsync / IDB transaction complete) before resolving. */
  batch(ops: readonly KvOp[]): Promise<void>
  close(): Promise<void>
}

export class KvClosedError extends Error {
  override name = 'KvClosedError'
  shortMessage = 'The key-value store is closed.'
  constructor() {
    super('The key-value store is closed.')
  }
}
