/**
 * The batcher stores each batch in its own Helia node (durable fs blockstore) and hands it to the
 * devnet IPFS peer over libp2p WebSockets; the peer fetches it over bitswap and pins it. Once the
 * batcher's node is gone and the blobs are pruned, a verifier still re-derives from the peer alone.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Helia } from '@helia/interface'
import type {} from '@seed/testkit/global-setup'
import { CID } from 'multiformats/cid'
import { hexToBytes } from 'viem'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import { deriveChain } from '../derive/derive.ts'
import { createReplayExecutor } from '../derive/replay.ts'
import { deployInbox, l1Clients, l1Sequencer, makeL2Blocks, testBatcher, tickUntil } from '../derive/testing.ts'
import { createFsHeliaNode } from '../ipfs/helia-node-fs.ts'
import { heliaPinner } from '../ipfs/helia-pinner.ts'
import { IpfsPinError } from '../ipfs/pinner.ts'
import { channelCid } from '../protocol/codec/cid.ts'
import { readPostedBatches } from '../protocol/inbox.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { testGenesis } from '../testing.ts'

const manifest = inject('manifest')
const genesis = testGenesis()
const dir = mkdtempSync(join(tmpdir(), 'batcher-helia-'))
let node: RollupNode
let helia: Helia
let stoppedHelia = false

beforeAll(async () => {
  const inbox = await deployInbox(manifest)
  const kv = memoryKv()
  node = await createRollupNode({ kv, genesis, blockTime: 0 })
  helia = await createFsHeliaNode(dir)
  const { batcher } = testBatcher(manifest, {
    node,
    kv,
    inbox,
    ipfs: heliaPinner(helia, manifest.services.ipfs!, { signer: l1Sequencer }),
  })
  await makeL2Blocks(node, 24, 3)
  await tickUntil(batcher, 'sent')
  await tickUntil(batcher, 'confirmed')
  ;(globalThis as { inbox?: string }).inbox = inbox
}, 180_000)

afterAll(async () => {
  if (!stoppedHelia) await helia?.stop()
  await node?.close()
  rmSync(dir, { recursive: true, force: true })
})

test('the peer pins the batch its Helia node stored, and IPFS alone re-derives once that node is gone', async () => {
  const inbox = (globalThis as { inbox?: `0x${string}` }).inbox!
  const { publicClient } = l1Clients(manifest)
  const [posted] = await readPostedBatches(publicClient, inbox)
  const cid = CID.decode(hexToBytes(posted!.cid))
  expect(await helia.blockstore.has(cid)).toBe(true) // stored by the batcher's own node first
  await helia.stop()
  stoppedHelia = true
  rmSync(dir, { recursive: true, force: true })

  const res = await fetch(`${manifest.services.ipfsHttp}/ipfs/${cid}`)
  expect(res.status).toBe(200)
  expect(channelCid(new Uint8Array(await res.arrayBuffer())).equals(cid)).toBe(true)
  const result = await deriveChain({
    l1: publicClient,
    inbox,
    chainId: BigInt(genesis.chainId),
    executor: await createReplayExecutor({ kv: memoryKv(), genesis }),
    beaconUrl: 'http://127.0.0.1:9', // blobs pruned
    ipfsUrl: manifest.services.ipfsHttp,
  })
  expect(result).toMatchObject({ ok: true, batches: 1, txs: 24 })
  expect(result.head.stateRoot).toBe(node.status().head.stateRoot)
})

test('a pin whose bytes do not match the CID is refused before anything is sent', async () => {
  const other = await createFsHeliaNode(mkdtempSync(join(tmpdir(), 'batcher-helia-')))
  try {
    const bytes = new TextEncoder().encode('batch bytes')
    const wrong = channelCid(new TextEncoder().encode('other bytes'))
    await expect(
      heliaPinner(other, manifest.services.ipfs!, { signer: l1Sequencer }).pin(wrong, bytes),
    ).rejects.toThrow(IpfsPinError)
  } finally {
    await other.stop()
  }
})

test('a peer that is not there fails the pin with IpfsPinError', async () => {
  const other = await createFsHeliaNode(mkdtempSync(join(tmpdir(), 'batcher-helia-')))
  try {
    const bytes = new TextEncoder().encode('batch bytes')
    const dead = manifest.services.ipfs!.replace(/\/tcp\/\d+\//, '/tcp/9/')
    await expect(heliaPinner(other, dead, { timeoutMs: 5_000 }).pin(channelCid(bytes), bytes)).rejects.toThrow(
      IpfsPinError,
    )
  } finally {
    await other.stop()
  }
})
