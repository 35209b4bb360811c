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
      // 'relaxed': `complete` fires once the browser's storage process has the data, which a
      // terminated Worker or closed tab cannot undo; 'strict' also waits for the disk flush
      // (power loss), several ms per block on the answer path (decision 0109).
      const tx = db.transaction(STORE, 'readwrite', { durability: 'relaxed' })
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
