/**
 * End to end on the devnet: L2 transactions on a real node → batches on L1 (blobs) and IPFS →
 * a fresh verifier re-executes everything and lands on the same state root. Then the failure
 * modes a verifier must catch: blobs gone, IPFS gone, tampered bytes, a wrong genesis.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type {} from '@seed/testkit/global-setup'
import { type Address, bytesToHex, hexToBytes } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import { readPostedBatches } from '../protocol/inbox.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { testGenesis } from '../testing.ts'
import { deriveChain } from './derive.ts'
import { createReplayExecutor } from './replay.ts'
import { deployInbox, l1Clients, makeL2Blocks, testBatcher, tickUntil } from './testing.ts'

const manifest = inject('manifest')
const { publicClient } = l1Clients(manifest)
const genesis = testGenesis()
let node: RollupNode
let inbox: Address

beforeAll(async () => {
  inbox = await deployInbox(manifest)
  const kv = memoryKv()
  node = await createRollupNode({ kv, genesis, blockTime: 0 })
  const { batcher, events } = testBatcher(manifest, { node, kv, inbox })
  await makeL2Blocks(node, 60, 4)
  await tickUntil(batcher, 'sent')
  await tickUntil(batcher, 'confirmed')
  await makeL2Blocks(node, 30, 3, 1)
  await tickUntil(batcher, 'sent')
  await tickUntil(batcher, 'confirmed')
  expect(events.filter((e) => e.type === 'sent')).toHaveLength(2)
}, 180_000)

afterAll(async () => {
  await node?.close()
})

const verify = async (sources: { beaconUrl?: string; ipfsUrl?: string }, g = genesis) =>
  deriveChain({
    l1: publicClient,
    inbox,
    chainId: BigInt(g.chainId),
    executor: await createReplayExecutor({ kv: memoryKv(), genesis: g }),
    ...sources,
  })

describe('derivation from L1', () => {
  test('a fresh verifier re-derives the sequencer state root from blobs and IPFS', async () => {
    const result = await verify({ beaconUrl: manifest.l1.beaconUrl, ipfsUrl: manifest.services.ipfsHttp })
    expect(result.divergence).toBeUndefined()
    expect(result).toMatchObject({ ok: true, batches: 2, blocks: 7, txs: 90 })
    const head = node.status().head
    expect(result.head).toEqual({ number: head.number, hash: head.hash, stateRoot: head.stateRoot })
  })

  test('blobs alone are enough (IPFS gone)', async () => {
    const result = await verify({ beaconUrl: manifest.l1.beaconUrl, ipfsUrl: 'http://127.0.0.1:9' })
    expect(result.ok).toBe(true)
    expect(result.head.stateRoot).toBe(node.status().head.stateRoot)
  })

  test('IPFS alone is enough (blobs pruned)', async () => {
    const result = await verify({ beaconUrl: 'http://127.0.0.1:9', ipfsUrl: manifest.services.ipfsHttp })
    expect(result.ok).toBe(true)
    expect(result.head.stateRoot).toBe(node.status().head.stateRoot)
  })

  test('a verifier with another genesis reports the first divergence and its block', async () => {
    const result = await verify(
      { beaconUrl: manifest.l1.beaconUrl },
      testGenesis({ [`0x${'77'.repeat(20)}`]: { balance: 1n } }),
    )
    expect(result.ok).toBe(false)
    expect(result.divergence).toMatchObject({ batchIndex: 0n })
    expect(result.divergence!.reason).toMatch(/parent hash|output root/)
  })
})

describe('rollup-lite verify (CLI)', () => {
  const cli = join(import.meta.dirname, '../../bin/rollup-lite.mjs')
  const genesisFile = join(mkdtempSync(join(tmpdir(), 'verify-')), 'genesis.json')
  writeFileSync(
    genesisFile,
    JSON.stringify(genesis, (_, v) => (typeof v === 'bigint' ? v.toString() : v)),
  )
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [cli, 'verify', ...args], {
      env: { ...process.env, SEED_MANIFEST: '/nonexistent' },
    })
      .then((r) => ({ code: 0, ...r }))
      .catch((e: { code: number; stdout: string; stderr: string }) => e)

  test('re-derives from the devnet and prints progress and a JSON summary', async () => {
    const args = [
      '--l1',
      manifest.l1.rpcUrl,
      '--inbox',
      inbox,
      '--genesis',
      genesisFile,
      '--ipfs',
      manifest.services.ipfsHttp!,
    ]
    const { code, stdout, stderr } = await run(args)
    expect(code).toBe(0)
    expect(stderr).toMatch(/batch 0: .* output root ok/)
    expect(JSON.parse(stdout)).toMatchObject({
      ok: true,
      batches: 2,
      head: { stateRoot: node.status().head.stateRoot },
    })
  })

  test('exits 1 and names the batch and block of a divergence', async () => {
    const other = join(mkdtempSync(join(tmpdir(), 'verify-')), 'genesis.json')
    writeFileSync(other, JSON.stringify({ chainId: genesis.chainId.toString(), alloc: {} }))
    const { code, stderr } = await run(['--l1', manifest.l1.rpcUrl, '--inbox', inbox, '--genesis', other, '--no-ipfs'])
    expect(code).toBe(1)
    expect(stderr).toMatch(/DIVERGENCE at batch 0, L2 block \d+/)
  })
})

describe('tampered data is rejected', () => {
  let server: Server
  let url: string
  /**
   * A gateway/beacon that serves the real data with one byte flipped; under `/noncanonical` a beacon
   * whose blobs are no valid polynomial (a field element ≥ the BLS modulus: KZG cannot commit to it).
   */
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const noncanonical = req.url!.startsWith('/noncanonical/')
      if (noncanonical) req.url = req.url!.slice('/noncanonical'.length)
      const upstream = req.url!.startsWith('/ipfs/') ? manifest.services.ipfsHttp : manifest.l1.beaconUrl
      const real = await fetch(`${upstream}${req.url}`)
      if (req.url!.startsWith('/ipfs/')) {
        const bytes = new Uint8Array(await real.arrayBuffer())
        bytes[100]! ^= 1
        res.writeHead(200).end(bytes)
      } else if (!req.url!.startsWith('/eth/v1/beacon/blobs/')) {
        // Genesis and spec questions pass through untouched.
        res.writeHead(real.status, { 'content-type': 'application/json' }).end(Buffer.from(await real.arrayBuffer()))
      } else {
        const body = (await real.json()) as { data: `0x${string}`[] }
        body.data = body.data.map((b) => {
          const bytes = hexToBytes(b)
          if (noncanonical) bytes[0] = 0xff
          else bytes[1000]! ^= 1
          return bytesToHex(bytes)
        })
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      }
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  test('IPFS content that does not match its CID', async () => {
    const result = await verify({ ipfsUrl: url })
    expect(result.ok).toBe(false)
    expect(result.divergence!.reason).toMatch(/tampered/)
    expect(result.blocks).toBe(0)
  })

  test('a blob that does not match its versioned hash', async () => {
    const result = await verify({ beaconUrl: url })
    expect(result.ok).toBe(false)
    expect(result.divergence!.reason).toMatch(/versioned hash/)
  })

  test('tampered blobs fall back to good IPFS data', async () => {
    const result = await verify({ beaconUrl: url, ipfsUrl: manifest.services.ipfsHttp })
    expect(result.ok).toBe(true)
  })

  test('blobs KZG cannot commit to are unavailable data too: IPFS takes over, no false divergence', async () => {
    const hostile = { beaconUrl: `${url}/noncanonical` }
    const result = await verify({ ...hostile, ipfsUrl: manifest.services.ipfsHttp })
    expect(result.divergence).toBeUndefined()
    expect(result.ok).toBe(true)
    const blobsOnly = await verify(hostile)
    expect(blobsOnly.divergence!.reason).toMatch(/no valid data .*versioned hash/)
  })

  test('the inbox events chain batch to batch', async () => {
    const posted = await readPostedBatches(publicClient, inbox)
    expect(posted.map((p) => [p.index, p.firstBlock])).toEqual([
      [0n, 1n],
      [1n, posted[0]!.lastBlock + 1n],
    ])
  })
})
