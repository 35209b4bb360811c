/**
 * Blobs by beacon slot (docs/decisions/0005). On an L1 whose blocks sit on a slot grid (anvil mining one
 * block per 1-second slot), derivation names each batch's block by its slot, from the block's time, the
 * genesis anvil's beacon endpoint serves and the slot length given as configuration (anvil serves no
 * spec). On the devnet (instant mining, several blocks per second, so no slots) the same endpoint is read
 * by block number. Hostile beacon nodes (other blobs, wrong sizes, a missing slot, garbage, silence) give
 * typed DataUnavailable errors, never a crash or a hang.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { startAnvil } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import { type Address, bytesToHex, type PublicClient } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { kzg } from '../chain/kzg.ts'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import { BYTES_PER_BLOB } from '../protocol/codec/blob.ts'
import { type PostedBatch, readPostedBatches } from '../protocol/inbox.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { testGenesis } from '../testing.ts'
import { createBeaconClient } from './beacon.ts'
import { DataUnavailableError } from './data-unavailable.ts'
import { deriveChain } from './derive.ts'
import { createReplayExecutor } from './replay.ts'
import { deployInbox, l1Clients, makeL2Blocks, testBatcher, tickUntil } from './testing.ts'

const manifest = inject('manifest')
const genesis = testGenesis()
const cleanups: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

/** One batch of L2 blocks posted (blobs + IPFS) to a fresh inbox on the L1 `l1Manifest` points at. */
async function postOneBatch(l1Manifest: typeof manifest) {
  const inbox = await deployInbox(l1Manifest)
  const kv = memoryKv()
  const node: RollupNode = await createRollupNode({ kv, genesis, blockTime: 0 })
  cleanups.push(() => node.close())
  const { batcher } = testBatcher(l1Manifest, { node, kv, inbox })
  await makeL2Blocks(node, 12, 2)
  await tickUntil(batcher, 'sent', 80)
  await tickUntil(batcher, 'confirmed', 80)
  const { publicClient } = l1Clients(l1Manifest)
  const [posted] = await readPostedBatches(publicClient as PublicClient, inbox)
  return { inbox, publicClient: publicClient as PublicClient, posted: posted! }
}

const derive = async (
  l1: PublicClient,
  inbox: Address,
  beacon: Parameters<typeof deriveChain>[0]['beacon'],
  url: string,
) =>
  deriveChain({
    l1,
    inbox,
    chainId: BigInt(genesis.chainId),
    executor: await createReplayExecutor({ kv: memoryKv(), genesis }),
    beaconUrl: url,
    beacon,
  })

describe('blobs by slot: an L1 on a slot grid', () => {
  let slotted: Awaited<ReturnType<typeof postOneBatch>>
  let beaconUrl: string

  beforeAll(async () => {
    const anvil = await startAnvil({ blockTime: 1 })
    cleanups.push(() => anvil.service.stop())
    beaconUrl = anvil.rpcUrl
    slotted = await postOneBatch({ ...manifest, l1: { ...manifest.l1, rpcUrl: anvil.rpcUrl, beaconUrl } })
  }, 180_000)

  test('the slot comes from the block time, the served genesis and the configured slot length', async () => {
    const beacon = createBeaconClient({ url: beaconUrl, secondsPerSlot: 1 })
    const addressing = await beacon.addressing()
    expect(addressing.kind).toBe('slot')
    const { posted } = slotted
    const slot = await beacon.blockId({ number: posted.l1Block, timestamp: posted.l1Timestamp })
    expect(BigInt(slot)).toBe(posted.l1Timestamp - (addressing as { genesisTime: bigint }).genesisTime)

    const result = await derive(slotted.publicClient, slotted.inbox, { secondsPerSlot: 1 }, beaconUrl)
    expect(result.divergence).toBeUndefined()
    expect(result).toMatchObject({ ok: true, batches: 1, txs: 12 })
  })

  test('a wrong genesis names another slot: its blobs do not match, a typed error says so', async () => {
    const { posted } = slotted
    const served = await createBeaconClient({ url: beaconUrl, secondsPerSlot: 1 }).addressing()
    const wrong = createBeaconClient({
      url: beaconUrl,
      secondsPerSlot: 1,
      genesisTime: Number((served as { genesisTime: bigint }).genesisTime) + 1,
    })
    const error = await wrong
      .blobs({ number: posted.l1Block, timestamp: posted.l1Timestamp }, posted.blobHashes, kzg)
      .catch((e) => e)
    expect(error).toBeInstanceOf(DataUnavailableError)
    expect(error.message).toMatch(/no blob at \d+ matches versioned hash/)
  })

  test('a slot length that does not divide the block time is refused before asking for blobs', async () => {
    const { posted } = slotted
    const beacon = createBeaconClient({ url: beaconUrl, secondsPerSlot: 1_000_003 })
    const error = await beacon.blockId({ number: posted.l1Block, timestamp: posted.l1Timestamp }).catch((e) => e)
    expect(error).toBeInstanceOf(DataUnavailableError)
    expect(error.message).toMatch(/is on no slot of this beacon chain/)
  })
})

describe('the devnet beacon endpoint and hostile beacon nodes', () => {
  let devnet: Awaited<ReturnType<typeof postOneBatch>>
  let block: { number: bigint; timestamp: bigint }
  let posted: PostedBatch

  beforeAll(async () => {
    devnet = await postOneBatch(manifest)
    posted = devnet.posted
    block = { number: posted.l1Block, timestamp: posted.l1Timestamp }
  }, 180_000)

  test('anvil with instant mining serves genesis but no slots: its blocks are read by number', async () => {
    const beacon = createBeaconClient(manifest.l1.beaconUrl)
    expect((await beacon.addressing()).kind).toBe('block-number')
    expect(await beacon.blockId(block)).toBe(posted.l1Block.toString())
    const result = await derive(devnet.publicClient, devnet.inbox, undefined, manifest.l1.beaconUrl)
    expect(result).toMatchObject({ ok: true, batches: 1, txs: 12 })
  })

  /** A beacon node in front of the devnet's, answering what `answer` makes of each request. */
  async function hostileBeacon(answer: (req: IncomingMessage, res: ServerResponse, upstream: string) => unknown) {
    const server: Server = createServer((req, res) => {
      Promise.resolve(answer(req, res, `${manifest.l1.beaconUrl}${req.url}`)).catch(() => res.destroy())
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections()
          server.close(() => r())
        }),
    )
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`
  }
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  const isBlobs = (req: IncomingMessage) => req.url!.startsWith('/eth/v1/beacon/blobs/')
  const pass = async (res: ServerResponse, upstream: string) => {
    const real = await fetch(upstream)
    res.writeHead(real.status, { 'content-type': 'application/json' }).end(Buffer.from(await real.arrayBuffer()))
  }
  const expectUnavailable = async (url: string, pattern: RegExp, timeoutMs?: number) => {
    const error = await createBeaconClient({ url, timeoutMs })
      .blobs(block, posted.blobHashes, kzg)
      .catch((e) => e)
    expect(error).toBeInstanceOf(DataUnavailableError)
    expect(error.message).toMatch(pattern)
  }
  /** A valid blob (every field element below the modulus) that is not the batch's. */
  const otherBlob = () => {
    const bytes = new Uint8Array(BYTES_PER_BLOB)
    bytes[1] = 7
    return bytesToHex(bytes)
  }

  test('a node returning other blobs of the right size', async () => {
    const url = await hostileBeacon(async (req, res, upstream) => {
      if (!isBlobs(req)) return pass(res, upstream)
      json(res, 200, { data: [otherBlob(), otherBlob()] })
    })
    await expectUnavailable(url, /no blob at \d+ matches versioned hash/)
  })

  test('blobs of the wrong size or not hex', async () => {
    const short = await hostileBeacon(async (req, res, upstream) => {
      if (!isBlobs(req)) return pass(res, upstream)
      json(res, 200, { data: [otherBlob().slice(0, -2)] })
    })
    await expectUnavailable(short, /not a blob \(262144 characters\)/)
    const notHex = await hostileBeacon(async (req, res, upstream) => {
      if (!isBlobs(req)) return pass(res, upstream)
      json(res, 200, { data: [`0x${'zz'.repeat(BYTES_PER_BLOB)}`] })
    })
    await expectUnavailable(notHex, /not a blob/)
    const objects = await hostileBeacon(async (req, res, upstream) => {
      if (!isBlobs(req)) return pass(res, upstream)
      json(res, 200, { data: { blob: 1 } })
    })
    await expectUnavailable(objects, /not a list of blobs/)
  })

  test('a missing slot (no blobs, no sidecars)', async () => {
    const url = await hostileBeacon(async (req, res, upstream) => {
      if (req.url!.startsWith('/eth/v1/beacon/blob')) return json(res, 404, { code: 404, message: 'NOT_FOUND: slot' })
      return pass(res, upstream)
    })
    await expectUnavailable(url, /no blobs for block \d+ .*blobs: HTTP 404, blob_sidecars: HTTP 404/)
  })

  test('a spec with a nonsense slot length, and a node that never answers', async () => {
    const zero = await hostileBeacon(async (req, res, upstream) => {
      if (req.url === '/eth/v1/config/spec') return json(res, 200, { data: { SECONDS_PER_SLOT: '0' } })
      return pass(res, upstream)
    })
    await expectUnavailable(zero, /slot length 0 s/)
    const words = await hostileBeacon(async (req, res, upstream) => {
      if (req.url === '/eth/v1/config/spec') return json(res, 200, { data: { SECONDS_PER_SLOT: 'twelve' } })
      return pass(res, upstream)
    })
    await expectUnavailable(words, /SECONDS_PER_SLOT is not a number/)
    const silent = await hostileBeacon(() => new Promise(() => {}))
    await expectUnavailable(silent, /aborted|timeout/i, 500)
    // Through derivation too: the batch is reported unavailable, the verifier does not hang.
    const result = await derive(devnet.publicClient, devnet.inbox, { timeoutMs: 500 }, silent)
    expect(result.ok).toBe(false)
    expect(result.divergence!.reason).toMatch(/no valid data for batch 0/)
  })

  test('a node without the blobs endpoint is read through blob_sidecars, checked the same way', async () => {
    const url = await hostileBeacon(async (req, res, upstream) => {
      if (isBlobs(req)) return json(res, 404, { code: 404, message: 'NOT_FOUND: route' })
      const match = /^\/eth\/v1\/beacon\/blob_sidecars\/(\d+)$/.exec(req.url!)
      if (!match) return pass(res, upstream)
      const real = (await (await fetch(`${manifest.l1.beaconUrl}/eth/v1/beacon/blobs/${match[1]}`)).json()) as {
        data: string[]
      }
      // The sidecar's commitment field is not trusted: the client recomputes it from the blob.
      json(res, 200, {
        data: real.data.map((blob, index) => ({ index: String(index), blob, kzg_commitment: `0x${'00'.repeat(48)}` })),
      })
    })
    const blobs = await createBeaconClient(url).blobs(block, posted.blobHashes, kzg)
    expect(blobs).toHaveLength(posted.blobHashes.length)
  })
})
