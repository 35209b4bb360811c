/** In-memory KV (same interface as the node's LevelDB/IndexedDB stores): a verifier's scratch chain. */
import type { KV, KvOp } from './kv.ts'

export function memoryKv(): KV {
  const map = new Map<string, Uint8Array>()
  return {
    async get(key) {
      return map.get(key)
    },
    async batch(ops: readonly KvOp[]) {
      for (const op of ops) op.type === 'put' ? map.set(op.key, op.value) : map.delete(op.key)
    },
    async close() {},
  }
}
