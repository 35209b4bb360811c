/**
 * A hostile sequencer and hostile data servers against the verifier (issue 12): IPFS bytes that
 * match the CID posted on L1 but not the blobs posted with it, and oversized answers.
 */
import { createServer, type Server } from 'node:http'
import type {} from '@seed/testkit/global-setup'
import type { Address, LocalAccount } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { channelSidecars } from '../batch/blob-tx.ts'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import { blobsToChannel } from '../protocol/codec/blob.ts'
import { decodeBatch, encodeBatch } from '../protocol/codec/channel.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { testGenesis } from '../testing.ts'
import { deriveChain } from './derive.ts'
import { createReplayExecutor } from './replay.ts'
import { deployInbox, l1Clients, l1Sequencer, makeL2Blocks, testBatcher, tickUntil } from './testing.ts'

const manifest = inject('manifest')
const { publicClient } = l1Clients(manifest)
const genesis = testGenesis()
let node: RollupNode
let inbox: Address

/**
 * A sequencer that posts the CID of its channel but blobs of another encoding of the same batch
 * (deflate level 1 instead of 9): blob verifiers and IPFS verifiers would read different bytes.
 */
const liar: LocalAccount = {
  ...l1Sequencer,
  async signTransaction(tx, options) {
    const t = tx as typeof tx & { sidecars: { blob: `0x${string}` }[] }
    const other = encodeBatch(decodeBatch(blobsToChannel(t.sidecars.map((s) => s.blob))), 1)
    const sidecars = channelSidecars(other)
    return l1Sequencer.signTransaction(
      { ...tx, blobVersionedHashes: sidecars.versionedHashes, sidecars: sidecars.sidecars } as typeof tx,
      options,
    )
  },
}

beforeAll(async () => {
  inbox = await deployInbox(manifest)
  const kv = memoryKv()
  node = await createRollupNode({ kv, genesis, blockTime: 0 })
  const { batcher } = testBatcher(manifest, { node, kv, inbox, account: liar })
  await makeL2Blocks(node, 20, 2)
  await tickUntil(batcher, 'sent')
  await tickUntil(batcher, 'confirmed')
}, 180_000)

afterAll(async () => {
  await node?.close()
})

const verify = async (sources: { beaconUrl?: string; ipfsUrl?: string }) =>
  deriveChain({
    l1: publicClient,
    inbox,
    chainId: BigInt(genesis.chainId),
    executor: await createReplayExecutor({ kv: memoryKv(), genesis }),
    ...sources,
  })

describe('hostile data for the verifier', () => {
  test('IPFS bytes matching the CID but not the posted blobs are refused', async () => {
    const result = await verify({ ipfsUrl: manifest.services.ipfsHttp })
    expect(result.ok).toBe(false)
    expect(result.divergence!.reason).toMatch(/not the data of the blobs posted on L1/)
    expect(result.blocks).toBe(0)
  })

  test('blob data not matching the posted CID is refused too', async () => {
    const result = await verify({ beaconUrl: manifest.l1.beaconUrl })
    expect(result.ok).toBe(false)
    expect(result.divergence!.reason).toMatch(/does not match the CID/)
  })

  describe('oversized answers', () => {
    let server: Server
    let url: string
    beforeAll(async () => {
      // 64 MiB of answer, streamed: the verifier must stop reading long before the end.
      server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        const chunk = new Uint8Array(1024 * 1024)
        let sent = 0
        const more = () => {
          while (sent < 64 && res.write(chunk)) sent++
          if (sent >= 64) res.end()
          else res.once('drain', more)
        }
        more()
        res.on('close', () => {
          sent = 64
        })
      })
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    })
    afterAll(() => new Promise<void>((r) => server.close(() => r())))

    test('an IPFS gateway or beacon API answering 64 MiB is cut off', async () => {
      const result = await verify({ ipfsUrl: url, beaconUrl: url })
      expect(result.ok).toBe(false)
      expect(result.divergence!.reason).toMatch(/larger than \d+ bytes/)
    })
  })
})
