/**
 * The rollup node's Worker: @seed/rollup-lite's node over IndexedDB, sequencing blocks every
 * second and — once the agent has an inbox — batching them to L1 blobs + IPFS and including the
 * portal's deposits, for as long as the offscreen document (and so the browser) runs.
 */
import { createRollupNode, type KV, openIdbKv, type RollupNode } from '@seed/rollup-lite'
import * as Comlink from 'comlink'
import { serializeError } from '../core/errors.ts'
import { startWorkerBatching, type WorkerBatching } from './batching.ts'
import { type WorkerBlockGossip, workerBlockGossip } from './block-gossip.ts'
import { type WorkerDeposits, workerDepositFeed } from './deposits.ts'
import { embeddedGenesis } from './genesis.ts'
import { startOutputWatch, type WorkerOutputWatch } from './output-watch.ts'
import type { RollupGenesisConfig, RollupWorkerApi } from './worker-api.ts'

const DB_NAME = 'seed-rollup'
let started:
  | Promise<{
      node: RollupNode
      kv: KV
      batching: WorkerBatching
      deposits: WorkerDeposits
      outputs: WorkerOutputWatch
      gossip: WorkerBlockGossip
    }>
  | undefined

/** One database per network and chain; the devnet's keeps the name it had before networks (decision 0430). */
const dbName = ({ network, chainId }: RollupGenesisConfig) =>
  network && network !== 'devnet' ? `${DB_NAME}-${network}-${chainId}` : `${DB_NAME}-${chainId}`

async function open(genesis: RollupGenesisConfig) {
  const kv = await openIdbKv(dbName(genesis))
  const feed = workerDepositFeed()
  const chainGenesis = embeddedGenesis(genesis)
  const node = await createRollupNode({ kv, genesis: chainGenesis, blockTime: 1000, deposits: feed.source })
  const deposits = feed.start(node, kv)
  const outputs = startOutputWatch(kv, chainGenesis)
  const gossip = workerBlockGossip(node)
  // Resumes a batch left in flight by a previous Worker (its state is in the same IndexedDB), and with it
  // the deposit feed of the inbox it posts to, the watch of the outputs posted there and the gossip of
  // sealed blocks (the batcher key is the sequencer key).
  const batching = await startWorkerBatching(node, kv, {
    onSetup: (setup) => {
      deposits.follow(setup)
      outputs.follow(setup)
      void gossip.start(setup.privateKey).catch(() => {}) // state() shows it off; L1 still carries the blocks
    },
  })
  return { node, kv, batching, deposits, outputs, gossip }
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
    return (await need()).batching.configure(setup) // its onSetup starts the feed, the watch and the gossip
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
  async deposits() {
    return (await need()).deposits.state()
  },
  async outputs() {
    return (await need()).outputs.state()
  },
}

Comlink.expose(api)
