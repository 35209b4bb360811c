/**
 * Batch CIDs (rollup-lite SPEC §4): CIDv1, codec raw (0x55), sha2-256 multihash of the channel
 * bytes. The inbox event carries the binary CID; people and the IPFS peer use base32 ("b…").
 */
import { type Hex, hexToBytes } from 'viem'

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'
const RAW_SHA256_PREFIX = [0x01, 0x55, 0x12, 0x20]

export function base32Cid(binary: Hex | Uint8Array): string {
  const bytes = typeof binary === 'string' ? hexToBytes(binary) : binary
  let out = 'b'
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
    buffer &= (1 << bits) - 1
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31]
  return out
}

/** The raw sha2-256 CIDv1 of `bytes`, computed here in the browser. */
export async function rawCidOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return base32Cid(new Uint8Array([...RAW_SHA256_PREFIX, ...digest]))
}

export type CidCheck = { cid: string; size: number; matches: boolean; actual: string }

/** Fetches a batch's bytes from the IPFS peer and checks they hash to the CID the inbox recorded. */
export async function fetchAndCheckCid(ipfsUrl: string, cid: string, signal?: AbortSignal): Promise<CidCheck> {
  const res = await fetch(`${ipfsUrl}/ipfs/${cid}`, { signal })
  if (!res.ok) throw new Error(`the IPFS peer answered ${res.status} for ${cid}`)
  const bytes = new Uint8Array(await res.arrayBuffer())
  const actual = await rawCidOf(bytes)
  return { cid, size: bytes.length, matches: actual === cid, actual }
}
