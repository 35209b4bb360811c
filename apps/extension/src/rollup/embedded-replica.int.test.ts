/**
 * A replica of an embedded-style chain on the devnet (issue 17): the wallet's genesis (bridge
 * predeploys naming its inbox), the Worker's gossip module publishing its sealed blocks, its
 * batches on L1 + IPFS. While the browser is closed the replica keeps serving reads (and refuses
 * transactions with a typed error: there is no sequencer to forward to); when the browser comes
 * back and batches blocks the replica never heard gossiped, it catches up from L1 + IPFS, and
 * follows the gossip again once the Worker redials it.
 */
import { createRollupNode, loadCrypto, memoryKv, type RollupNode } from '@seed/rollup-lite'
import {
  type BlockGossip,
  noSequencerRpc,
  type Replica,
  startBlockGossip,
  startReplica,
  startRpcServer,
} from '@seed/rollup-lite/node'
import {
  deployInbox,
  l1Clients,
  l1Sequencer,
  makeL2Blocks,
  TEST_KEYS,
  testBatcher,
  tickUntil,
} from '@seed/rollup-lite/testing'
import type {} from '@seed/testkit/global-setup'
import type { Address, Hex } from 'viem'
import { privateKeyToAccount, privateKeyToAddress } from 'viem/accounts'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { type WorkerBlockGossip, workerBlockGossip } from './block-gossip.ts'
import { embeddedGenesis } from './genesis.ts'

const manifest = inject('manifest')
const { publicClient: l1 } = l1Clients(manifest)
const CHAIN_ID = 4_271_917
const sequencerKey = `0x${Buffer.from(l1Sequencer.getHdKey().privateKey!).toString('hex')}` as Hex
const watched = privateKeyToAccount(TEST_KEYS[0]!).address

let inbox: Address
const kv = memoryKv() // the Worker's IndexedDB: it outlives the browser
let node: RollupNode | undefined
let gossip: WorkerBlockGossip | undefined
let replicaGossip: BlockGossip
let replica: Replica
let server: { url: string; close(): Promise<void> }

const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 60_000) => {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
const rpc = async (method: string, params: unknown[] = []) => {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  return (await res.json()) as { result?: unknown; error?: { code: number; message: string } }
}

/** The browser opens: the Worker's node resumes from its store and gossips once it has the key. */
async function openBrowser(o: { gossip: boolean }) {
  const genesis = embeddedGenesis({ chainId: CHAIN_ID, inbox, funded: TEST_KEYS.map((k) => privateKeyToAddress(k)) })
  node = await createRollupNode({ kv, genesis, blockTime: 0 })
  if (!o.gossip) return
  gossip = workerBlockGossip(node)
  await gossip.setPeers(replicaGossip.multiaddrs())
  await gossip.start(sequencerKey)
  await until('the Worker to join the replica on the topic', () => {
    const s = gossip!.state()
    return s.enabled && s.topicPeers > 0
  })
}

async function closeBrowser() {
  await gossip?.stop()
  gossip = undefined
  await node?.close()
  node = undefined
}

/** The Worker's batcher posts everything sealed so far (blob + IPFS pin). */
async function batchToL1() {
  const { batcher } = testBatcher(manifest, { node: node!, kv, inbox })
  await tickUntil(batcher, 'sent')
  await tickUntil(batcher, 'confirmed')
}

beforeAll(async () => {
  inbox = await deployInbox(manifest)
  replicaGossip = await startBlockGossip({ chainId: BigInt(CHAIN_ID), listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
  replica = await startReplica({
    kv: memoryKv(),
    genesis: embeddedGenesis({ chainId: CHAIN_ID, inbox, funded: TEST_KEYS.map((k) => privateKeyToAddress(k)) }),
    crypto: await loadCrypto(),
    l1,
    inbox,
    // Batches come back through IPFS (the blob path is replica.int.test.ts's).
    ipfsUrl: manifest.services.ipfsHttp,
    forward: noSequencerRpc, // a browser's node has no RPC to forward to
    gossip: replicaGossip,
    pollMs: 500,
  })
  server = await startRpcServer(replica.chain.rpc, { port: 0 })
}, 90_000)

afterAll(async () => {
  await server?.close()
  await closeBrowser()
  await replicaGossip?.stop()
  await replica?.close()
})

test('the replica serves the embedded chain while the browser is closed and catches up from L1 + IPFS when it is back', async () => {
  expect(replica.sequencer()).toBe(l1Sequencer.address)
  await openBrowser({ gossip: true })
  await makeL2Blocks(node!, 4, 2)
  await until('the gossiped blocks', () => replica.chain.head().hash === node!.status().head.hash, 15_000)
  await batchToL1()
  const batched = node!.status().head
  await until('the replica to derive the batch', () => replica.chain.safe().hash === batched.hash)
  const balance = await node!.request('eth_getBalance', [watched, 'latest'])

  // The browser closes: reads are still answered, writes are refused with a JSON-RPC error.
  await closeBrowser()
  expect((await rpc('eth_blockNumber')).result).toBe(`0x${batched.number.toString(16)}`)
  expect((await rpc('eth_getBalance', [watched, 'latest'])).result).toBe(balance)
  const refused = await rpc('eth_sendRawTransaction', ['0x02'])
  expect(refused.error).toMatchObject({ code: -32000, message: expect.stringMatching(/knows no sequencer RPC/) })

  // It comes back and batches blocks before its Worker gossips again: L1 + IPFS bring them.
  await openBrowser({ gossip: false })
  await makeL2Blocks(node!, 4, 2, 1)
  await batchToL1()
  const back = node!.status().head
  expect(back.number).toBe(batched.number + 2n)
  await until('the replica to catch up from L1 + IPFS', () => replica.chain.safe().hash === back.hash, 90_000)
  expect((await rpc('eth_getBalance', [watched, 'latest'])).result).toBe(
    await node!.request('eth_getBalance', [watched, 'latest']),
  )
  await closeBrowser()

  // And once the Worker redials it, the gossip carries the next block before any batch does.
  await openBrowser({ gossip: true })
  await makeL2Blocks(node!, 1, 1, 2)
  const next = node!.status().head
  await until('the next block by gossip', () => replica.chain.head().hash === next.hash, 15_000)
  expect(replica.chain.safe().hash).toBe(back.hash)
}, 300_000)
