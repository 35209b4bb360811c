/** Browser store: one IndexedDB object store through `idb`. One readwrite transaction per batch. */
import { type IDBPDatabase, openDB, unwrap } from 'idb'
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
      // The plain IndexedDB objects: idb's wrappers give each request a promise and two event
      // listeners (~8% of the Worker's time at ~10 ops per transfer); only the transaction's
      // outcome is awaited, and a failed request aborts it.
      const tx = unwrap(db).transaction(STORE, 'readwrite', { durability: 'relaxed' })
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve()
        tx.onabort = () => reject(tx.error ?? new DOMException('IndexedDB transaction aborted', 'AbortError'))
      })
      const store = tx.objectStore(STORE)
      for (const op of ops) {
        if (op.type === 'put') store.put(op.value, op.key)
        else store.delete(op.key)
      }
      await done
    },
    async close() {
      if (closed) return
      closed = true
      db.close()
    },
  }
}
