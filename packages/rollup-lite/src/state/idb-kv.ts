/** Browser store: one IndexedDB object store through `idb`. One readwrite transaction per batch. */
import { type IDBPDatabase, openDB } from 'idb'
import { type KV, KvClosedError, type KvOp } from './kv.ts'

const STORE = 'kv'

export async function openIdbKv(name: string): Promise<KV> {
  const db: IDBPDatabase = await openDB(name, 1, {
    upgrade(database) {
      database.createObjectStore(STORE)
    },
  })
  let closed = false
  return {
    async get(key) {
      if (closed) throw new KvClosedError()
      const value = (await db.get(STORE, key)) as Uint8Array | undefined
      return value
    },
    async batch(ops: readonly KvOp[]) {
      if (closed) throw new KvClosedError()
      if (ops.length === 0) return
      // 'strict' durability: the transaction completes only once flushed to disk.
      const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' })
      const store = tx.objectStore(STORE)
      for (const op of ops) {
        if (op.type === 'put') store.put(op.value, op.key).catch(() => {})
        else store.delete(op.key).catch(() => {})
      }
      await tx.done
    },
    async close() {
      if (closed) return
      closed = true
      db.close()
    },
  }
}
