/**
 * Browser store: IndexedDB through `idb`. The chain's records (trie nodes, blocks, receipts, tx
 * and block-hash indexes: written once, a block's hundreds at a time) go into "packs": one IndexedDB
 * record holds up to PACK_OPS of a batch's ops (their keys, and their values in one buffer), and a
 * multiEntry index over the keys finds the newest pack that wrote a key (decision 0112, round 6).
 * Chromium spends ~60 µs of CPU per `put` request (renderer, IPC, its LevelDB backend) against
 * ~6 µs per index entry. Every other key (the head, the batcher's and the extension's records,
 * rewritten in place) keeps one record in the `kv` store: a pack never frees a value it held, so a
 * key rewritten often would pile up its old values there. A key always goes to the same store.
 * Stores made before packs (version 1) hold chain records in `kv`: a chain key no pack holds is
 * read there (a delete in a pack hides it).
 */
import { type IDBPDatabase, openDB, unwrap } from 'idb'
import { isChainRecordKey } from '../chain/codec.ts'
import { type KV, KvClosedError, type KvOp } from './kv.ts'

const STORE = 'kv'
const PACKS = 'packs'
const BY_KEY = 'keys'

/**
 * One batch as stored. `bounds[2i]`, `bounds[2i + 1]`: where the value of `keys[i]` lies in `data`;
 * a delete has start -1. A key may occur twice (later ops in a batch win): its last place counts.
 */
type Pack = { keys: string[]; data: Uint8Array; bounds: Int32Array }

/** Packs read lately: a pack holds records written together (a block's nodes), often read together. */
const RECENT_PACKS = 8

/** Ops per pack: a read fetches its whole pack, so a block's batch is cut into a few. */
const PACK_OPS = 16

function encodePack(ops: readonly KvOp[]): Pack {
  let size = 0
  for (const op of ops) if (op.type === 'put') size += op.value.length
  // A fresh buffer of exactly the values: the stored record holds no one else's bytes.
  const data = new Uint8Array(size)
  const bounds = new Int32Array(ops.length * 2)
  const keys: string[] = []
  let at = 0
  ops.forEach((op, i) => {
    keys.push(op.key)
    if (op.type === 'del') {
      bounds[2 * i] = -1
      return
    }
    data.set(op.value, at)
    bounds[2 * i] = at
    at += op.value.length
    bounds[2 * i + 1] = at
  })
  return { keys, data, bounds }
}

/** The value `pack` gives `key` (a copy: a cached node must not keep the whole pack alive); null if it deletes it. */
function readPack(pack: Pack, key: string): Uint8Array | null | undefined {
  const i = pack.keys.lastIndexOf(key)
  if (i < 0) return undefined
  const start = pack.bounds[2 * i] as number
  return start < 0 ? null : pack.data.slice(start, pack.bounds[2 * i + 1])
}

export type IdbKvOptions = {
  /** Which keys go into packs (default: the chain's write-once records). */
  packed?: (key: string) => boolean
}

export async function openIdbKv(name: string, { packed = isChainRecordKey }: IdbKvOptions = {}): Promise<KV> {
  const db: IDBPDatabase = await openDB(name, 2, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) database.createObjectStore(STORE)
      database.createObjectStore(PACKS, { autoIncrement: true }).createIndex(BY_KEY, 'keys', { multiEntry: true })
    },
  })
  const raw = unwrap(db)
  const recent = new Map<number, Pack>()
  let closed = false

  /** The newest pack holding `key`: its id and contents (from `recent` when it is there). */
  const newestPack = (key: string) =>
    new Promise<Pack | undefined>((resolve, reject) => {
      const index = raw.transaction(PACKS, 'readonly').objectStore(PACKS).index(BY_KEY)
      const request = index.openKeyCursor(key, 'prev')
      request.onerror = () => reject(request.error)
      request.onsuccess = () => {
        const cursor = request.result
        if (!cursor) return resolve(undefined)
        const id = cursor.primaryKey as number
        const hit = recent.get(id)
        if (hit) return resolve(hit)
        const read = index.objectStore.get(id)
        read.onerror = () => reject(read.error)
        read.onsuccess = () => {
          const pack = read.result as Pack
          recent.set(id, pack)
          if (recent.size > RECENT_PACKS) recent.delete(recent.keys().next().value as number)
          resolve(pack)
        }
      }
    })

  return {
    async get(key) {
      if (closed) throw new KvClosedError()
      if (packed(key)) {
        const pack = await newestPack(key)
        const value = pack && readPack(pack, key)
        if (value !== undefined) return value ?? undefined
      }
      return (await db.get(STORE, key)) as Uint8Array | undefined
    },
    async batch(ops: readonly KvOp[]) {
      if (closed) throw new KvClosedError()
      if (ops.length === 0) return
      // 'relaxed': `complete` fires once the browser's storage process has the data, which a
      // terminated Worker or closed tab cannot undo; 'strict' also waits for the disk flush
      // (power loss), several ms per block on the answer path (decision 0109).
      // The plain IndexedDB objects: only the transaction's outcome is awaited.
      const tx = raw.transaction([STORE, PACKS], 'readwrite', { durability: 'relaxed' })
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve()
        tx.onabort = () => reject(tx.error ?? new DOMException('IndexedDB transaction aborted', 'AbortError'))
      })
      const inPacks: KvOp[] = []
      const store = tx.objectStore(STORE)
      for (const op of ops) {
        if (packed(op.key)) inPacks.push(op)
        else if (op.type === 'put') store.put(op.value, op.key)
        else store.delete(op.key)
      }
      const packs = tx.objectStore(PACKS)
      for (let at = 0; at < inPacks.length; at += PACK_OPS) packs.put(encodePack(inPacks.slice(at, at + PACK_OPS)))
      await done
    },
    async close() {
      if (closed) return
      closed = true
      db.close()
    },
  }
}
