/**
 * The IPFS address of a channel: CIDv1, codec `raw` (0x55), sha2-256 — the plain hash of the
 * exact channel bytes, so anyone can check content against it without IPFS tooling.
 * A channel (≤ 6 × 130,044 bytes) fits in one IPFS block (limit 1 MiB).
 */
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create } from 'multiformats/hashes/digest'
import { bytesToHex, type Hex, hexToBytes, sha256 } from 'viem'

const SHA2_256 = 0x12

export function channelCid(channel: Uint8Array): CID {
  return CID.createV1(raw.code, create(SHA2_256, sha256(channel, 'bytes')))
}

export const cidToHex = (cid: CID): Hex => bytesToHex(cid.bytes)
export const cidFromHex = (hex: Hex): CID => CID.decode(hexToBytes(hex))
