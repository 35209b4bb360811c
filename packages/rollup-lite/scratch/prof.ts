import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { makeTraffic } from '../src/batch/fixtures.ts'
import { encodeBatch, decodeBatch } from '../src/batch/channel.ts'
import { channelToBlobs, blobsToChannel } from '../src/batch/blob.ts'
import { recoverFromPayload } from '../src/derive/senders.ts'
import { loadNodeCrypto } from '../src/node/native-crypto.ts'
const f = '/tmp/r5-traffic.json'
if (!existsSync(f)) writeFileSync(f, JSON.stringify(await makeTraffic({ chainId: 42069, txs: 10000, txsPerBlock: 100 }), (_, v) => typeof v === 'bigint' ? `${v}n` : v))
const blocks = JSON.parse(readFileSync(f, 'utf8'), (_, v) => typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v)
const batch = { chainId: 42069n, parentHash: `0x${'11'.repeat(32)}`, blocks }
const channel = encodeBatch(batch as any)
const blobs = channelToBlobs(channel)
const crypto = await loadNodeCrypto()
for (let k = 0; k < 3; k++) {
  let t = performance.now(); const ch = blobsToChannel(blobs); const tUnpack = performance.now() - t
  t = performance.now(); decodeBatch(ch); const tDecode = performance.now() - t
  const payloads: any[] = []
  t = performance.now(); decodeBatch(ch, (p, s) => payloads.push([p, s])); const tDecodeCb = performance.now() - t
  t = performance.now(); for (const [p] of payloads) crypto.keccak256(p); const tKeccak = performance.now() - t
  t = performance.now(); for (const [p, s] of payloads) recoverFromPayload(p, s, crypto); const tRec = performance.now() - t
  console.log({ tUnpack, tDecode, tDecodeCb, tKeccak, tRec })
}
