/**
 * Web Worker entry: runs the node over IndexedDB and exposes it with comlink. Used by the browser
 * tests and by the extension (offscreen document → Worker).
 */
import * as Comlink from 'comlink'
import { numberToHex } from 'viem'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import type { RpcSession } from '../rpc/handler.ts'
import { openIdbKv } from '../state/idb-kv.ts'
import type { WorkerNodeApi } from './api.ts'

let node: RollupNode | undefined
const listeners = new Set<(message: unknown) => void>()
const session: RpcSession = {
  notify(message) {
    for (const l of listeners) void l(message)
  },
}

const need = (): RollupNode => {
  if (!node) throw new Error('rollup node not started: call start() first')
  return node
}

const api: WorkerNodeApi = {
  async start(config) {
    if (node) throw new Error('rollup node already started')
    const kv = await openIdbKv(config.dbName)
    node = await createRollupNode({
      kv,
      genesis: config.genesis,
      blockTime: config.blockTime,
      maxBlockTxs: config.maxBlockTxs,
    })
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
    await node?.close()
    node = undefined
  },
}

Comlink.expose(api)
