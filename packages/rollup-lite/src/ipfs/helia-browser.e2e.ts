/**
 * A batcher in a browser Web Worker (real Debian Chromium) stores its batch in its own Helia node
 * (IndexedDB blockstore) and hands it to the devnet IPFS peer over libp2p WebSockets on loopback;
 * the peer fetches it over bitswap and pins it. After the browser is gone and with the blobs
 * "pruned", Node re-derives the chain from the peer alone.
 */
import { join } from 'node:path'
import { launchChromium } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import { bytesToHex } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { expect, inject, test } from 'vitest'
import { serveBrowserBundle } from '../batch/browser-bundle.ts'
import { deriveChain } from '../derive/derive.ts'
import { createReplayExecutor } from '../derive/replay.ts'
import { deployInbox, l1Clients, l1Sequencer } from '../derive/testing.ts'
import { makeTraffic, testKey } from '../protocol/codec/fixtures.ts'
import { memoryKv } from '../state/memory-kv.ts'

const manifest = inject('manifest')

test('a Worker Helia node (IndexedDB) hands its batch to the IPFS peer over WebSockets', async () => {
  const inbox = await deployInbox(manifest)
  const chainId = 31_338
  const genesis = {
    chainId,
    timestamp: 0,
    baseFeePerGas: 1_000_000n,
    alloc: Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [privateKeyToAddress(testKey('sender', i)), { balance: 10n ** 21n }]),
    ),
  }
  // Real blocks (state roots, hashes) from the replay executor, for the Worker's batcher to post.
  const traffic = await makeTraffic({ chainId, txs: 60, senders: 10, recipients: 5, txsPerBlock: 20 })
  const sequencer = await createReplayExecutor({ kv: memoryKv(), genesis })
  const blocks = [{ ...sequencer.genesis, timestamp: 0n, transactions: [] as readonly `0x${string}`[] }]
  for (const b of traffic) blocks.push({ ...(await sequencer.executeBlock(b)), ...b })
  const served = await serveBrowserBundle(
    { worker: join(import.meta.dirname, '../batch/browser-worker.ts') },
    '<!doctype html><title>batcher</title>',
  )
  const workerJs = served.files.get('/worker.js')!
  expect(workerJs).not.toMatch(/from ["']node:/)
  const { origin } = served
  const browser = await launchChromium()
  let result: { ok: boolean; error?: string; events?: string; heldLocally?: boolean }
  try {
    const page = await browser.context.newPage()
    await page.goto(origin)
    const job = {
      l1RpcUrl: manifest.l1.rpcUrl,
      inbox,
      key: bytesToHex(l1Sequencer.getHdKey().privateKey!),
      ipfsPeer: manifest.services.ipfs!, // libp2p, not the HTTP API
      chainId: String(chainId),
      blocks: blocks.map((b) => ({
        number: b.number.toString(),
        timestamp: b.timestamp.toString(),
        transactions: b.transactions,
        hash: b.hash,
        stateRoot: b.stateRoot,
      })),
    }
    result = (await page.evaluate(
      (job) =>
        new Promise((resolve) => {
          const worker = new Worker('/worker.js', { type: 'module' })
          worker.onmessage = (e) => resolve(e.data)
          worker.onerror = (e) => resolve({ ok: false, error: e.message })
          worker.postMessage(job)
        }),
      job,
    )) as typeof result
  } finally {
    await browser.close()
    served.close()
  }
  expect(result.error).toBeUndefined()
  expect(result.ok, result.events).toBe(true)
  expect(result.heldLocally).toBe(true) // in the Worker's IndexedDB blockstore

  const derived = await deriveChain({
    l1: l1Clients(manifest).publicClient,
    inbox,
    chainId: BigInt(chainId),
    executor: await createReplayExecutor({ kv: memoryKv(), genesis }),
    beaconUrl: 'http://127.0.0.1:9', // blobs pruned: the peer is the only source
    ipfsUrl: manifest.services.ipfsHttp,
  })
  expect(derived).toMatchObject({ ok: true, batches: 1, txs: 60 })
  expect(derived.head.stateRoot).toBe(sequencer.head().stateRoot)
}, 300_000)
