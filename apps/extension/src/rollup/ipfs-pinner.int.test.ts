/**
 * The Worker batcher's pinner falls back to the IPFS peer's HTTP API (the real devnet peer) when
 * the libp2p path fails. In Node there is no IndexedDB, so the Worker's Helia node cannot start:
 * the failure mode "Helia unavailable" for real. The libp2p path itself is proven in Chromium by
 * e2e/batching.e2e.ts.
 */

import { devAccount, startIpfsPeer } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { expect, inject, test } from 'vitest'
import { type PinPath, workerIpfsPinner } from './ipfs-pinner.ts'

const manifest = inject('manifest')
const batch = () => crypto.getRandomValues(new Uint8Array(4096))
/** The batch CID of SPEC.md §4: CIDv1, raw, sha2-256. */
const channelCid = async (bytes: Uint8Array) => CID.createV1(raw.code, await sha256.digest(bytes))

test('libp2p cannot be used: the batch is pinned over HTTP, and the reason is kept', async () => {
  const paths: PinPath[] = []
  const pinner = workerIpfsPinner({
    peer: manifest.services.ipfs,
    httpUrl: manifest.services.ipfsHttp,
    signer: devAccount('user'), // a key the devnet peer allows
    onPinned: (p) => paths.push(p),
  })!
  const bytes = batch()
  const cid = await channelCid(bytes)
  await pinner.pin(cid, bytes)
  expect(paths).toEqual([{ via: 'http', at: expect.any(Number), ms: expect.any(Number), error: expect.any(String) }])
  const served = await fetch(`${manifest.services.ipfsHttp}/ipfs/${cid}`)
  expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes)
})

test('neither path works: the pin fails with both reasons (the batcher retries, nothing goes on L1)', async () => {
  const pinner = workerIpfsPinner({ peer: '/ip4/127.0.0.1/tcp/9/ws', httpUrl: 'http://127.0.0.1:9' })!
  const bytes = batch()
  await expect(pinner.pin(await channelCid(bytes), bytes)).rejects.toThrow(/fallback: http:\/\/127\.0\.0\.1:9/)
})

test('a peer that takes pins only from allowed keys: the batcher key signs, a stranger is refused', async () => {
  const batcherKey = privateKeyToAccount(generatePrivateKey())
  const peer = await startIpfsPeer({ pinners: [batcherKey.address] })
  try {
    const bytes = batch()
    const cid = await channelCid(bytes)
    const stranger = workerIpfsPinner({ httpUrl: peer.url, signer: privateKeyToAccount(generatePrivateKey()) })!
    await expect(stranger.pin(cid, bytes)).rejects.toThrow(/403/)
    await workerIpfsPinner({ httpUrl: peer.url, signer: batcherKey })!.pin(cid, bytes)
    expect((await fetch(`${peer.url}/ipfs/${cid}`)).status).toBe(200)
  } finally {
    await peer.service.stop()
  }
})
