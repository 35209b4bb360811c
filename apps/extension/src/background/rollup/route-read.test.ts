/**
 * Replicas as the wallet sees them (issue 17), on real rollup-lite nodes: the embedded node, a
 * replica fed by the Worker's gossip and served over HTTP, and a node of the same chain that forked.
 * Probes tell them apart; reads go to the agreeing replica only while the node is busy or slow, and
 * writes and `pending` reads never leave the node.
 */
import { createRollupNode, loadCrypto, memoryKv, type RollupNode } from '@seed/rollup-lite'
import { type BlockGossip, type Replica, startBlockGossip, startReplica, startRpcServer } from '@seed/rollup-lite/node'
import { TEST_KEYS, testGenesis } from '@seed/rollup-lite/testing'
import { createPublicClient, http, parseGwei } from 'viem'
import { generatePrivateKey, privateKeyToAccount, privateKeyToAddress } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ReplicaRecord } from '../../core/storage.ts'
import { type WorkerBlockGossip, workerBlockGossip } from '../../rollup/block-gossip.ts'
import { probeReplica } from './probe-replica.ts'
import { replicaRequest } from './replica-rpc.ts'
import type { RollupCall } from './rollup.ts'
import { BUSY_PENDING_TXS, LOCAL_READ_TIMEOUT_MS, type ReadRouting, routeRead } from './route-read.ts'

const CHAIN_ID = 31_979
const genesis = testGenesis({}, CHAIN_ID)
const sequencerKey = generatePrivateKey()
let node: RollupNode
let forked: RollupNode
let gossip: WorkerBlockGossip
let replicaGossip: BlockGossip
let replica: Replica
const servers: { url: string; close(): Promise<void> }[] = []
let replicaUrl: string
let forkedUrl: string
const local: RollupCall = (method, params = []) => node.request(method, [...params])

const until = async (what: string, check: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  node = await createRollupNode({ kv: memoryKv(), genesis, blockTime: 0 })
  forked = await createRollupNode({ kv: memoryKv(), genesis, blockTime: 0 })
  replicaGossip = await startBlockGossip({ chainId: BigInt(CHAIN_ID), listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
  replica = await startReplica({
    kv: memoryKv(),
    genesis,
    crypto: await loadCrypto(),
    l1: createPublicClient({ transport: http('http://127.0.0.1:9', { retryCount: 0 }) }),
    inbox: '0x0000000000000000000000000000000000000001',
    sequencer: privateKeyToAddress(sequencerKey),
    forward: async () => '0x',
    gossip: replicaGossip,
    pollMs: 3_600_000,
  })
  gossip = workerBlockGossip(node)
  await gossip.setPeers(replicaGossip.multiaddrs())
  await gossip.start(sequencerKey)
  await until('the gossip mesh', () => {
    const s = gossip.state()
    return s.enabled && s.topicPeers > 0
  })
  for (let i = 0; i < 3; i++) await node.sealNow(true)
  await until('the replica to follow', () => replica.chain.head().header.number === 3n)
  // Same chain id and genesis, other blocks: a replica of a copy that diverged (its block 3 holds a
  // transfer the wallet's chain never saw).
  for (let i = 0; i < 2; i++) await forked.sealNow(true)
  const stranger = privateKeyToAccount(TEST_KEYS[2]!)
  await forked.request('eth_sendRawTransaction', [
    await stranger.signTransaction({
      chainId: CHAIN_ID,
      nonce: 0,
      to: stranger.address,
      value: 1n,
      gas: 21_000n,
      maxFeePerGas: parseGwei('10'),
      maxPriorityFeePerGas: 1n,
    }),
  ])
  await forked.sealNow()
  expect(forked.status().head.number).toBe(3n)
  servers.push(await startRpcServer(replica.chain.rpc, { port: 0 }), await startRpcServer(forked.rpc, { port: 0 }))
  ;[replicaUrl, forkedUrl] = servers.map((s) => s.url) as [string, string]
}, 30_000)

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  await gossip?.stop()
  await replicaGossip?.stop()
  await replica?.close()
  await node?.close()
  await forked?.close()
})

const record = (url: string): ReplicaRecord => ({ url, addedAt: 0 })

describe('probing replicas', () => {
  test('the gossip-fed replica agrees with the local head; the forked one and a dead one do not', async () => {
    const good = await probeReplica(local, replicaRequest, record(replicaUrl), 1_000)
    expect(good).toMatchObject({ url: replicaUrl, head: 3, lag: 0, agrees: true, checkedAt: 1_000, lastSeen: 1_000 })
    expect(good.error).toBeUndefined()
    const bad = await probeReplica(local, replicaRequest, record(forkedUrl), 1_000)
    expect(bad).toMatchObject({ agrees: false, error: expect.stringMatching(/block 3 differs/) })
    const dead = await probeReplica(local, replicaRequest, { ...record('http://127.0.0.1:9'), lastSeen: 5 }, 1_000)
    expect(dead).toMatchObject({ agrees: false, lastSeen: 5, error: expect.stringMatching(/not answering/) })
  })
})

describe('routing dApp reads', () => {
  const routed: string[] = []
  let pending = 0
  let held: Promise<void> | undefined
  const routing = (records: () => Promise<ReplicaRecord[]>): ReadRouting => ({
    // The node as the background reaches it; `held` stands for a Worker stuck on a long block.
    local: async (method, params) => {
      if (held) await held
      return local(method, params)
    },
    remote: replicaRequest,
    replicas: records,
    pendingTxs: () => pending,
    onRouted: (url, method, why) => routed.push(`${why} ${method} ${url}`),
  })
  const probed = async (url: string) => [await probeReplica(local, replicaRequest, record(url))]

  test('while the node is busy, reads go to the agreeing replica and answer as the node would', async () => {
    pending = BUSY_PENDING_TXS
    routed.length = 0
    const o = routing(() => probed(replicaUrl))
    const block = await routeRead(o, 'eth_getBlockByNumber', ['0x3', false])
    expect(block).toEqual(await local('eth_getBlockByNumber', ['0x3', false]))
    expect(routed).toEqual([`busy eth_getBlockByNumber ${replicaUrl}`])
  })

  test('writes and reads of the pending block never leave the node, busy or not', async () => {
    pending = BUSY_PENDING_TXS
    routed.length = 0
    const o = routing(() => probed(replicaUrl))
    const sender = privateKeyToAccount(TEST_KEYS[0]!)
    const raw = await sender.signTransaction({
      chainId: CHAIN_ID,
      nonce: 0,
      to: sender.address,
      value: 1n,
      gas: 21_000n,
      maxFeePerGas: parseGwei('10'),
      maxPriorityFeePerGas: 1n,
    })
    await routeRead(o, 'eth_sendRawTransaction', [raw])
    // The replica has not seen the tx: only the node counts it in `pending`.
    expect(await routeRead(o, 'eth_getTransactionCount', [sender.address, 'pending'])).toBe('0x1')
    expect(routed).toEqual([])
    await node.sealNow()
  })

  test('a replica that disagrees with the local head is never used', async () => {
    pending = BUSY_PENDING_TXS
    routed.length = 0
    const o = routing(() => probed(forkedUrl))
    const block = (await routeRead(o, 'eth_getBlockByNumber', ['0x3', false])) as { hash: string }
    expect(block.hash).toBe((await node.block(3n))!.hash)
    expect(routed).toEqual([])
  })

  test(
    'a read the node has not answered in time is answered by the replica',
    async () => {
      pending = 0
      routed.length = 0
      let release!: () => void
      held = new Promise((r) => {
        release = r
      })
      try {
        const o = routing(() => probed(replicaUrl))
        const balance = await routeRead(o, 'eth_getBalance', [privateKeyToAddress(TEST_KEYS[1]!), '0x3'])
        expect(routed).toEqual([`slow eth_getBalance ${replicaUrl}`])
        release()
        expect(balance).toBe(await local('eth_getBalance', [privateKeyToAddress(TEST_KEYS[1]!), '0x3']))
      } finally {
        release()
        held = undefined
      }
    },
    LOCAL_READ_TIMEOUT_MS + 10_000,
  )
})
