/** Browser test page: drives the Worker node (and runs the KV conformance suite on IndexedDB). */
import type { Genesis } from '../../src/chain/types.ts'
import { openIdbKv } from '../../src/state/idb-kv.ts'
import { runKvConformance } from '../../src/state/kv-conformance.ts'
import type { WorkerNodeConfig } from '../../src/worker/api.ts'
import { connectWorkerNode, type WorkerNodeClient } from '../../src/worker/client.ts'

let client: WorkerNodeClient | undefined
const messages: unknown[] = []

async function start(
  dbName: string,
  genesisJson: string,
  blockTime = 0,
  maxBlockTxs?: number,
  recoverWorkerUrl?: string | null,
  rpcLimits?: WorkerNodeConfig['rpcLimits'],
) {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
  client = connectWorkerNode(worker)
  const genesis = JSON.parse(genesisJson, (_k, v) =>
    typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
  ) as Genesis
  const started = await client.api.start({ dbName, genesis, blockTime, maxBlockTxs, recoverWorkerUrl, rpcLimits })
  const { Comlink } = await import('../../src/worker/client.ts')
  await client.api.subscribe(Comlink.proxy((m: unknown) => void messages.push(m)))
  return started
}

async function request(method: string, params: unknown[] = []) {
  if (!client) throw new Error('not started')
  return client.request({ method, params })
}

/** Sends raw txs and waits for all receipts (soft confirmations); returns the elapsed ms. */
async function sendAll(raws: string[], persist = false) {
  if (!client) throw new Error('not started')
  const api = client.api
  const t0 = performance.now()
  const hashes = await Promise.all(
    raws.map(async (raw, i) => {
      const res = (await api.handle({ jsonrpc: '2.0', id: i, method: 'eth_sendRawTransaction', params: [raw] })) as {
        result?: string
        error?: { message: string }
      }
      if (res.error) throw new Error(res.error.message)
      return res.result as string
    }),
  )
  for (;;) {
    const s = (await api.status()) as { pendingCount: number }
    if (s.pendingCount === 0) break
    await new Promise((r) => setTimeout(r, 5))
  }
  const executedMs = performance.now() - t0
  if (persist) {
    await api.sealNow()
    await api.flushed()
  }
  return { ms: performance.now() - t0, executedMs, hashes }
}

/**
 * Sends each sender's raw txs in order (the senders at once) and terminates the Worker, with no
 * close, as soon as `killAt` answers are in; returns every hash that was answered.
 */
async function sendAndTerminate(rawsBySender: string[][], killAt: number) {
  const running = client
  if (!running) throw new Error('not started')
  const answered: string[] = []
  let gone = false
  let terminate = () => {}
  const terminated = new Promise<undefined>((resolve) => {
    terminate = () => {
      if (gone) return
      gone = true
      running.terminate()
      client = undefined
      resolve(undefined)
    }
  })
  const send = (raw: string) =>
    running.api.handle({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: [raw] }) as Promise<{
      result?: string
    }>
  await Promise.all(
    rawsBySender.map(async (raws) => {
      for (const raw of raws) {
        if (gone) return
        // A terminated Worker never answers: stop waiting for it then.
        const res = await Promise.race([send(raw).catch(() => undefined), terminated])
        if (!res) return
        if (typeof res.result === 'string') answered.push(res.result)
        if (answered.length >= killAt) terminate()
      }
    }),
  )
  terminate()
  return answered
}

async function stop() {
  await client?.api.close()
  client?.terminate()
  client = undefined
}

/** The suite with every key in packs, and with every key in the `kv` store (the suite's keys are no chain records). */
async function kvConformance(name: string) {
  const packed = await runKvConformance(() => openIdbKv(`${name}-packed`, { packed: () => true }))
  const inPlace = await runKvConformance(() => openIdbKv(name))
  return [...packed.map((r) => ({ ...r, name: `packs: ${r.name}` })), ...inPlace]
}

/**
 * A store written before packs (version 1: one `kv` record per key, chain records too), then
 * opened by openIdbKv: what each chain key reads after a later batch rewrites one and deletes another.
 */
async function kvFromVersion1(name: string) {
  const v1 = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(name, 1)
    open.onupgradeneeded = () => open.result.createObjectStore('kv')
    open.onsuccess = () => resolve(open.result)
    open.onerror = () => reject(open.error)
  })
  const tx = v1.transaction('kv', 'readwrite')
  for (const [key, byte] of [
    ['t:kept', 1],
    ['t:rewritten', 2],
    ['t:deleted', 3],
  ] as const)
    tx.objectStore('kv').put(new Uint8Array([byte]), key)
  await new Promise((resolve) => {
    tx.oncomplete = resolve
  })
  v1.close()
  const kv = await openIdbKv(name)
  await kv.batch([
    { type: 'put', key: 't:rewritten', value: new Uint8Array([9]) },
    { type: 'del', key: 't:deleted' },
  ])
  const read = async (key: string) => {
    const value = await kv.get(key)
    return value && [...value]
  }
  const result = { kept: await read('t:kept'), rewritten: await read('t:rewritten'), deleted: await read('t:deleted') }
  await kv.close()
  return result
}

Object.assign(globalThis, {
  rollupTest: {
    start,
    request,
    sendAll,
    sendAndTerminate,
    stop,
    kvConformance,
    kvFromVersion1,
    messages,
    seal: () => client?.api.sealNow(),
  },
})
