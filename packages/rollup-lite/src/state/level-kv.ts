/** Durable Node store: LevelDB (classic-level, prebuilt binary). Batches are atomic and synced. */
import { ClassicLevel } from 'classic-level'
import { type KV, KvClosedError, type KvOp } from './kv.ts'

export type LevelKvOptions = {
  /** fsync each batch (default true). Off only for throwaway benchmarks of pure execution. */
  sync?: boolean
}

export async function openLevelKv(path: string, options: LevelKvOptions = {}): Promise<KV> {
  const db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' })
  await db.open()
  const sync = options.sync ?? true
  let closed = false
  return {
    async get(key) {
      if (closed) throw new KvClosedError()
      const value = await db.get(key)
      return value ?? undefined
    },
    async batch(ops: readonly KvOp[]) {
      if (closed) throw new KvClosedError()
      if (ops.length === 0) return
      await db.batch(ops as KvOp[], { sync })
    },
    async close() {
      if (closed) return
      closed = true
      await db.close()
    },
  }
}
