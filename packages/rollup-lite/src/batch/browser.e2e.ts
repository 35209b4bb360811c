/**
 * The batcher runs in a browser Web Worker (real Debian Chromium): it encodes L2 blocks, computes
 * KZG commitments and proofs in pure JS, pins the channel on the devnet IPFS peer and posts the blob
 * transaction to the devnet inbox. Node then reads it back from L1 blobs and IPFS.
 */
import { join } from 'node:path'
import { RollupInboxAbi } from '@seed/contracts'
import { launchChromium } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import { bytesToHex, type Hex, keccak256, parseGwei, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { expect, inject, test } from 'vitest'
import { deriveChain } from '../derive/derive.ts'
import { createReplayExecutor } from '../derive/replay.ts'
import { channelFromBlobs, channelFromIpfs } from '../derive/sources.ts'
import { deployInbox, l1Clients, l1Sequencer } from '../derive/testing.ts'
import { decodeBatch } from '../protocol/codec/channel.ts'
import { makeTraffic } from '../protocol/codec/fixtures.ts'
import { readPostedBatches } from '../protocol/inbox.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { TEST_KEYS, testGenesis } from '../testing.ts'
import { serveBrowserBundle } from './browser-bundle.ts'

const manifest = inject('manifest')

test('a Web Worker batches L2 blocks to L1 blobs and IPFS', async () => {
  const inbox = await deployInbox(manifest)
  const traffic = await makeTraffic({ chainId: 31_338, txs: 200, senders: 20, recipients: 5, txsPerBlock: 50 })
  const genesisBlock = { number: 0n, timestamp: 0n, transactions: [] as `0x${string}`[] }
  const blocks = [genesisBlock, ...traffic].map((b) => ({
    number: b.number.toString(),
    timestamp: b.timestamp.toString(),
    transactions: [...b.transactions],
    hash: keccak256(toHex(`block ${b.number}`)),
    stateRoot: keccak256(toHex(`state ${b.number}`)),
  }))
  const served = await serveBrowserBundle(
    { worker: join(import.meta.dirname, 'browser-worker.ts') },
    '<!doctype html><title>batcher</title>',
  )
  const workerJs = served.files.get('/worker.js')!
  expect(workerJs).not.toMatch(/from ["']node:/) // nothing Node-only in the batcher
  const { origin } = served
  const browser = await launchChromium()
  try {
    const page = await browser.context.newPage()
    await page.goto(origin)
    const job = {
      l1RpcUrl: manifest.l1.rpcUrl,
      inbox,
      key: bytesToHex(l1Sequencer.getHdKey().privateKey!),
      ipfsUrl: manifest.services.ipfsHttp!,
      chainId: '31338',
      blocks,
    }
    const result = (await page.evaluate(
      (job) =>
        new Promise((resolve) => {
          const worker = new Worker('/worker.js', { type: 'module' })
          worker.onmessage = (e) => resolve(e.data)
          worker.onerror = (e) => resolve({ ok: false, error: e.message })
          worker.postMessage(job)
        }),
      job,
    )) as { ok: boolean; error?: string; events?: string }
    expect(result.error).toBeUndefined()
    expect(result.ok, result.events).toBe(true)
  } finally {
    await browser.close()
    served.close()
  }
  const { publicClient } = l1Clients(manifest)
  expect(await publicClient.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'batchCount' })).toBe(1n)
  const [posted] = await readPostedBatches(publicClient, inbox)
  for (const channel of [
    await channelFromBlobs(manifest.l1.beaconUrl, posted!),
    await channelFromIpfs(manifest.services.ipfsHttp!, posted!),
  ]) {
    expect(decodeBatch(channel).blocks.map((b) => b.transactions)).toEqual(traffic.map((b) => b.transactions))
  }
}, 300_000)

test('the Worker node (IndexedDB) batches its own blocks, and Node re-derives its state root', async () => {
  const inbox = await deployInbox(manifest)
  const served = await serveBrowserBundle(
    {
      page: join(import.meta.dirname, 'browser-node-page.ts'),
      worker: join(import.meta.dirname, '../worker/worker.ts'),
    },
    '<!doctype html><script type="module" src="/page.js"></script>',
  )
  const { origin } = served
  const genesis = testGenesis()
  const config = {
    dbName: `batch-${Date.now()}`,
    genesis,
    blockTime: 0,
    recoverWorkerUrl: null,
    batcher: {
      l1RpcUrl: manifest.l1.rpcUrl,
      l1ChainId: manifest.l1.chainId,
      inbox,
      privateKey: bytesToHex(l1Sequencer.getHdKey().privateKey!),
      ipfsUrl: manifest.services.ipfsHttp,
      policy: { maxChannelDurationMs: 0 },
      intervalMs: 500,
    },
  }
  const sender = privateKeyToAccount(TEST_KEYS[1] as Hex)
  const raws: Hex[] = []
  for (let nonce = 0; nonce < 6; nonce++) {
    raws.push(
      await sender.signTransaction({
        chainId: Number(genesis.chainId),
        nonce,
        to: `0x${'0b'.repeat(20)}`,
        value: 1000n + BigInt(nonce),
        gas: 21_000n,
        maxFeePerGas: parseGwei('10'),
        maxPriorityFeePerGas: 1n,
      }),
    )
  }
  const browser = await launchChromium()
  let stateRoot: Hex
  try {
    const page = await browser.context.newPage()
    await page.goto(origin)
    await page.waitForFunction(() => (globalThis as any).batchTest !== undefined)
    const json = JSON.stringify(config, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))
    await page.evaluate((j) => (globalThis as any).batchTest.start(j), json)
    for (const [i, raw] of raws.entries()) {
      await page.evaluate((r) => (globalThis as any).batchTest.request('eth_sendRawTransaction', [r]), raw)
      if (i % 3 === 2) await page.evaluate(() => (globalThis as any).batchTest.sealNow())
    }
    let status: { head: { stateRoot: Hex; number: string }; lastBatch: { l2BlockEnd: string | null } } | undefined
    for (let i = 0; i < 240; i++) {
      status = await page.evaluate(() => (globalThis as any).batchTest.status())
      if (status!.lastBatch.l2BlockEnd !== null && BigInt(status!.lastBatch.l2BlockEnd) === BigInt(status!.head.number))
        break
      await new Promise((r) => setTimeout(r, 500))
    }
    expect(status!.lastBatch.l2BlockEnd).not.toBeNull()
    stateRoot = status!.head.stateRoot
    await page.evaluate(() => (globalThis as any).batchTest.close())
  } finally {
    await browser.close()
    served.close()
  }
  const { publicClient } = l1Clients(manifest)
  const result = await deriveChain({
    l1: publicClient,
    inbox,
    chainId: BigInt(genesis.chainId),
    executor: await createReplayExecutor({ kv: memoryKv(), genesis }),
    beaconUrl: manifest.l1.beaconUrl,
    ipfsUrl: manifest.services.ipfsHttp,
  })
  expect(result.ok).toBe(true)
  expect(result.txs).toBe(6)
  expect(result.head.stateRoot).toBe(stateRoot)
}, 300_000)
