/**
 * Web Worker entry: runs the node over IndexedDB and exposes it with comlink. Used by the browser
 * tests and by the extension (offscreen document → Worker).
 */
import * as Comlink from 'comlink'
import { numberToHex } from 'viem'
import { attachBatcherFromConfig } from '../batch/attach.ts'
import type { Batcher } from '../batch/batcher.ts'
import { loadCrypto } from '../chain/crypto.ts'
import { createBatchedRecoverer, type RecoverPort } from '../chain/recover-client.ts'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import type { SenderRecoverer } from '../protocol/tx-validity.ts'
import type { RpcSession } from '../rpc/handler.ts'
import { openIdbKv } from '../state/idb-kv.ts'
import type { WorkerNodeApi } from './api.ts'

let node: RollupNode | undefined
let batcher: Batcher | undefined
const listeners = new Set<(message: unknown) => void>()
const session: RpcSession = {
  notify(message) {
    for (const l of listeners) void l(message)
  },
}

/** A second Worker recovers senders so this one only executes (recovery is ~1 ms/tx in WASM). */
function recoveryWorker(
  url: string | null | undefined,
  keccak256: (b: Uint8Array) => Uint8Array,
): SenderRecoverer | undefined {
  if (url === null || typeof Worker === 'undefined') return undefined
  const worker = new Worker(url ?? new URL('./recover.js', import.meta.url), { type: 'module' })
  const port: RecoverPort = {
    post: (input) => worker.postMessage(input, [input.buffer]),
    onResult: (listener) => worker.addEventListener('message', (e: MessageEvent<Uint8Array>) => listener(e.data)),
    close: () => worker.terminate(),
  }
  // Batches of 128, not 32: under load the sends that one returning batch admits commit as one
  // block, and in Chromium every block costs an IndexedDB transaction and the seal's upper trie
  // nodes (decision 0112, round 6: 107 instead of ~40 txs a block, −12% browser CPU per transfer).
  // An idle lane still gets a lone tx at once.
  return createBatchedRecoverer([port], keccak256, { maxBatch: 128 })
}

const need = (): RollupNode => {
  if (!node) throw new Error('rollup node not started: call start() first')
  return node
}

const api: WorkerNodeApi = {
  async start(config) {
    if (node) throw new Error('rollup node already started')
    const kv = await openIdbKv(config.dbName)
    const crypto = await loadCrypto()
    node = await createRollupNode({
      kv,
      genesis: config.genesis,
      blockTime: config.blockTime,
      maxBlockTxs: config.maxBlockTxs,
      rpcLimits: config.rpcLimits,
      crypto,
      recoverer: recoveryWorker(config.recoverWorkerUrl, crypto.keccak256),
    })
    if (config.batcher) batcher = attachBatcherFromConfig(node, kv, config.batcher)
    node.onBlockSealed((block) => {
      session.notify({
        type: 'blockSealed',
        number: numberToHex(block.header.number),
        hash: block.hash,
        stateRoot: block.header.stateRoot,
        txCount: block.transactions.length,
      })
    })
    const s = node.status()
    return { chainId: numberToHex(s.chainId), head: numberToHex(s.head.number) }
  },
  async handle(request) {
    return need().handle(request, session)
  },
  async subscribe(listener) {
    listeners.add(listener)
  },
  async status() {
    const s = need().status()
    return JSON.parse(JSON.stringify(s, (_k, v) => (typeof v === 'bigint' ? numberToHex(v) : v)))
  },
  async sealNow() {
    const block = await need().sealNow()
    return block?.hash ?? null
  },
  async flushed() {
    await need().flushed()
  },
  async close() {
    await batcher?.stop()
    batcher = undefined
    await node?.close()
    node = undefined
  },
}

Comlink.expose(api)
