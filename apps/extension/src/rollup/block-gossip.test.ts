/**
 * The Worker's gossip (issue 17), run in Node on a real rollup-lite node: once it has the sequencer
 * key, each block the embedded node seals reaches a listening replica over gossipsub — the
 * replica dials nobody, the Worker dials it (a browser cannot listen) — and a key change re-signs.
 */
import { createRollupNode, loadCrypto, memoryKv, type RollupNode } from '@seed/rollup-lite'
import { type BlockGossip, type Replica, startBlockGossip, startReplica } from '@seed/rollup-lite/node'
import { testGenesis } from '@seed/rollup-lite/testing'
import { createPublicClient, http } from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type WorkerBlockGossip, workerBlockGossip } from './block-gossip.ts'

const CHAIN_ID = 31_978
const sequencerKey = generatePrivateKey()
let node: RollupNode
let gossip: WorkerBlockGossip
let replicaGossip: BlockGossip
let replica: Replica

const until = async (what: string, check: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  const genesis = testGenesis({}, CHAIN_ID)
  node = await createRollupNode({ kv: memoryKv(), genesis, blockTime: 0 })
  replicaGossip = await startBlockGossip({ chainId: BigInt(CHAIN_ID), listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
  replica = await startReplica({
    kv: memoryKv(),
    genesis,
    crypto: await loadCrypto(),
    // No L1 here: only gossip moves the replica's head.
    l1: createPublicClient({ transport: http('http://127.0.0.1:9', { retryCount: 0 }) }),
    inbox: '0x0000000000000000000000000000000000000001',
    sequencer: privateKeyToAddress(sequencerKey),
    forward: async () => '0x',
    gossip: replicaGossip,
    pollMs: 3_600_000,
  })
  gossip = workerBlockGossip(node)
}, 30_000)

afterAll(async () => {
  await gossip?.stop()
  await replicaGossip?.stop()
  await replica?.close()
  await node?.close()
})

test('publishes nothing before it has the sequencer key, then every sealed block to the peers it dials', async () => {
  expect(gossip.state()).toEqual({ enabled: false, peers: [] })
  await gossip.setPeers(replicaGossip.multiaddrs())
  const started = await gossip.start(sequencerKey)
  expect(started).toMatchObject({ enabled: true, signer: privateKeyToAddress(sequencerKey) })
  await until('the Worker to join the replica on the topic', () => {
    const s = gossip.state()
    return s.enabled && s.topicPeers > 0
  })
  for (let i = 0; i < 3; i++) await node.sealNow(true)
  await until('the replica to serve the sealed blocks', () => replica.chain.head().header.number === 3n)
  expect(replica.chain.head().hash).toBe(node.status().head.hash)
  expect(gossip.state()).toMatchObject({ enabled: true, published: 3 })
}, 30_000)

test('blocks signed by a key that is not the sequencer’s are not served', async () => {
  await gossip.start(generatePrivateKey()) // e.g. a batcher key the inbox does not name
  await until('the new node to join the topic', () => {
    const s = gossip.state()
    return s.enabled && s.topicPeers > 0
  })
  await node.sealNow(true)
  await until('the block to be published', () => {
    const s = gossip.state()
    return s.enabled && s.published >= 1
  })
  await new Promise((r) => setTimeout(r, 1_000))
  expect(replica.chain.head().header.number).toBe(3n)
}, 30_000)
