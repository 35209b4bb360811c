/**
 * Durable Node store: LevelDB (classic-level, prebuilt binary). Batches are atomic; a batch that
 * returned is in the OS page cache, so it survives the process being killed (SIGKILL, crash). With
 * `sync` it is also fsynced, which survives power loss too at ~8 ms per batch here (decision 0109).
 */
import { ClassicLevel } from 'classic-level'
import { type KV, KvClosedError, type KvOp } from './kv.ts'

export type LevelKvOptions = {
  /** fsync each batch (default false: survives SIGKILL, not power loss). */
  sync?: boolean
}

export async function openLevelKv(path: string, options: LevelKvOptions = {}): Promise<KV> {
  const db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' })
  await db.open()
  const sync = options.sync ?? false
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
