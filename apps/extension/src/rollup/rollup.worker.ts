/**
 * The rollup node's Worker: @seed/rollup-lite's node over IndexedDB, sequencing blocks every
 * second for as long as the offscreen document (and so the browser) runs.
 */
import { createRollupNode, openIdbKv, type RollupNode } from '@seed/rollup-lite'
import * as Comlink from 'comlink'
import { parseEther } from 'viem'
import { serializeError } from '../core/errors.ts'
import type { RollupGenesisConfig, RollupWorkerApi } from './worker-api.ts'

const DB_NAME = 'seed-rollup'
let node: Promise<RollupNode> | undefined

async function open(genesis: RollupGenesisConfig) {
  const kv = await openIdbKv(`${DB_NAME}-${genesis.chainId}`)
  return createRollupNode({
    kv,
    genesis: {
      chainId: genesis.chainId,
      timestamp: 0,
      alloc: Object.fromEntries(genesis.funded.map((a) => [a, { balance: parseEther('10000') }])),
    },
    blockTime: 1000,
  })
}

const api: RollupWorkerApi = {
  async start(genesis) {
    node ??= open(genesis)
    return { chainId: Number((await node).chainId) }
  },
  async request(method, params) {
    if (!node) return { error: { code: 4900, message: 'The rollup node has not started' } }
    try {
      return { result: await (await node).request(method, [...params]) }
    } catch (error) {
      return { error: serializeError(error) }
    }
  },
}

Comlink.expose(api)
