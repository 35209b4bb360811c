/**
 * The batcher runs in a browser Web Worker (real Debian Chromium): it encodes L2 blocks, computes
 * KZG commitments and proofs in pure JS, pins the channel on the devnet IPFS peer and posts the blob
 * transaction to the devnet inbox. Node then reads it back from L1 blobs and IPFS.
 */
import { createServer } from 'node:http'
import { join } from 'node:path'
import { RollupInboxAbi } from '@seed/contracts'
import { launchChromium } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import { build } from 'esbuild'
import { bytesToHex, keccak256, toHex } from 'viem'
import { expect, inject, test } from 'vitest'
import { channelFromBlobs, channelFromIpfs, fetchPostedBatches } from '../derive/sources.ts'
import { deployInbox, l1Clients, l1Sequencer } from '../derive/testing.ts'
import { decodeBatch } from './channel.ts'
import { makeTraffic } from './fixtures.ts'

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
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, 'browser-worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  })
  const workerJs = bundle.outputFiles[0]!.text
  expect(workerJs).not.toMatch(/from ["']node:/) // nothing Node-only in the batcher
  const server = createServer((req, res) => {
    if (req.url === '/worker.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(workerJs)
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>batcher</title>')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
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
    server.close()
  }
  const { publicClient } = l1Clients(manifest)
  expect(await publicClient.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'batchCount' })).toBe(1n)
  const [posted] = await fetchPostedBatches(publicClient, inbox)
  for (const channel of [
    await channelFromBlobs(manifest.l1.beaconUrl, posted!),
    await channelFromIpfs(manifest.services.ipfsHttp!, posted!),
  ]) {
    expect(decodeBatch(channel).blocks.map((b) => b.transactions)).toEqual(traffic.map((b) => b.transactions))
  }
}, 300_000)
