/**
 * The IPFS peer's pinning under strangers: with an allowlist of pinners, a pin over HTTP or over libp2p
 * `/seed/pin/1.0.0` must carry the signature of an allowed key over the CID it pins. Unsigned, signed by
 * another key, or a signature lifted from another CID: refused, nothing pinned.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Helia } from '@helia/interface'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { channelCid } from '../protocol/codec/cid.ts'
import { createFsHeliaNode } from './helia-node-fs.ts'
import { heliaPinner } from './helia-pinner.ts'
import { type IpfsPeer, startIpfsPeer } from './peer.ts'
import { pinMessage } from './pin-protocol.ts'
import { httpPinner, IpfsPinError } from './pinner.ts'

const allowed = privateKeyToAccount(generatePrivateKey())
const stranger = privateKeyToAccount(generatePrivateKey())
const dirs: string[] = []
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}
let peer: IpfsPeer
let batcherNode: Helia

const batch = (label: string) => {
  const bytes = new TextEncoder().encode(`batch ${label} ${Math.random()}`)
  return { bytes, cid: channelCid(bytes) }
}
const pinned = async (cid: ReturnType<typeof channelCid>) => peer.helia.pins.isPinned(cid)

beforeAll(async () => {
  peer = await startIpfsPeer({ dir: tempDir('seed-ipfs-peer-'), pinners: [allowed.address] })
  batcherNode = await createFsHeliaNode(tempDir('seed-ipfs-batcher-'))
}, 60_000)
afterAll(async () => {
  await batcherNode?.stop()
  await peer?.stop()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('HTTP POST /pin', () => {
  const post = (cid: string, bytes: Uint8Array, signature?: string) =>
    fetch(`${peer.url}/pin?cid=${cid}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        ...(signature ? { 'seed-pin-signature': signature } : {}),
      },
      body: bytes as BodyInit,
    })

  test('unsigned: 401; signed by a key not allowed: 403; a signature of another CID: 403', async () => {
    const a = batch('a')
    expect((await post(a.cid.toString(), a.bytes)).status).toBe(401)
    const byStranger = await stranger.signMessage({ message: pinMessage(a.cid) })
    expect((await post(a.cid.toString(), a.bytes, byStranger)).status).toBe(403)
    const b = batch('b')
    const forB = await allowed.signMessage({ message: pinMessage(b.cid) })
    expect((await post(a.cid.toString(), a.bytes, forB)).status).toBe(403)
    expect((await post(a.cid.toString(), a.bytes, '0xnot-a-signature')).status).toBe(403)
    expect(await pinned(a.cid)).toBe(false)
  })

  test('an allowed key pins through httpPinner', async () => {
    const c = batch('c')
    await expect(httpPinner(peer.url).pin(c.cid, c.bytes)).rejects.toThrow(IpfsPinError)
    await expect(httpPinner(peer.url, { signer: stranger }).pin(c.cid, c.bytes)).rejects.toThrow(/403/)
    await httpPinner(peer.url, { signer: allowed }).pin(c.cid, c.bytes)
    expect(await pinned(c.cid)).toBe(true)
  })
})

describe('libp2p /seed/pin/1.0.0', () => {
  test('unsigned or signed by a stranger: refused, nothing fetched or pinned; an allowed key pins', async () => {
    const address = peer.multiaddrs[0] as string
    const d = batch('d')
    await expect(heliaPinner(batcherNode, address).pin(d.cid, d.bytes)).rejects.toThrow(/must be signed/)
    await expect(heliaPinner(batcherNode, address, { signer: stranger }).pin(d.cid, d.bytes)).rejects.toThrow(
      /not allowed/,
    )
    expect(await pinned(d.cid)).toBe(false)
    await heliaPinner(batcherNode, address, { signer: allowed }).pin(d.cid, d.bytes)
    expect(await pinned(d.cid)).toBe(true)
  }, 60_000)
})
