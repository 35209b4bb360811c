/**
 * The rollup node's Worker: @seed/rollup-lite's node over IndexedDB, sequencing blocks every
 * second and — once the agent has an inbox — batching them to L1 blobs + IPFS, for as long as the
 * offscreen document (and so the browser) runs.
 */
import { createRollupNode, type KV, openIdbKv, type RollupNode } from '@seed/rollup-lite'
import * as Comlink from 'comlink'
import { serializeError } from '../core/errors.ts'
import { loadSetup, startWorkerBatching, type WorkerBatching } from './batching.ts'
import { type WorkerBlockGossip, workerBlockGossip } from './block-gossip.ts'
import { embeddedGenesis } from './genesis.ts'
import type { RollupGenesisConfig, RollupWorkerApi } from './worker-api.ts'

const DB_NAME = 'seed-rollup'
let started: Promise<{ node: RollupNode; kv: KV; batching: WorkerBatching; gossip: WorkerBlockGossip }> | undefined

/** One database per network and chain; the devnet's keeps the name it had before networks (decision 0430). */
const dbName = ({ network, chainId }: RollupGenesisConfig) =>
  network && network !== 'devnet' ? `${DB_NAME}-${network}-${chainId}` : `${DB_NAME}-${chainId}`

async function open(genesis: RollupGenesisConfig) {
  const kv = await openIdbKv(dbName(genesis))
  const node = await createRollupNode({ kv, genesis: embeddedGenesis(genesis), blockTime: 1000 })
  // Resumes a batch left in flight by a previous Worker (its state is in the same IndexedDB).
  const batching = await startWorkerBatching(node, kv)
  // The batcher key is the sequencer key: once batching is set up, sealed blocks are gossiped too.
  const gossip = workerBlockGossip(node)
  const setup = await loadSetup(kv)
  if (setup) void gossip.start(setup.privateKey).catch(() => {}) // state() shows it off; L1 still carries the blocks
  return { node, kv, batching, gossip }
}

const need = () => {
  if (!started) throw new Error('The rollup node has not started')
  return started
}

const api: RollupWorkerApi = {
  async start(genesis) {
    started ??= open(genesis)
    return { chainId: Number((await started).node.chainId) }
  },
  async request(method, params) {
    if (!started) return { error: { code: 4900, message: 'The rollup node has not started' } }
    try {
      return { result: await (await started).node.request(method, [...params]) }
    } catch (error) {
      return { error: serializeError(error) }
    }
  },
  async configureBatcher(setup) {
    const { batching, gossip } = await need()
    const state = await batching.configure(setup)
    void gossip.start(setup.privateKey).catch(() => {})
    return state
  },
  async gossipPeers(peers) {
    return (await need()).gossip.setPeers(peers)
  },
  async gossip() {
    return (await need()).gossip.state()
  },
  async batching() {
    return (await need()).batching.state()
  },
  async publishFile(bytes) {
    return (await need()).batching.publish(bytes)
  },
}

Comlink.expose(api)
