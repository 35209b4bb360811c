/**
 * The `ipfs://` CIDs the wallet writes and can check without IPFS tooling: CIDv1, codec `raw`, sha2-256
 * (as rollup-lite's batch CIDs), base32 — the plain hash of the exact bytes. Content under any other kind
 * of CID cannot be checked here, so a reader treats it as unverified.
 */
import { bytesToHex, concat, sha256 } from 'viem'

const RAW_SHA256_PREFIX = new Uint8Array([0x01, 0x55, 0x12, 0x20]) // v1, raw, sha2-256, 32 bytes
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

function base32(bytes: Uint8Array): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31]
  return out
}

function fromBase32(text: string): Uint8Array | undefined {
  const out: number[] = []
  let bits = 0
  let value = 0
  for (const char of text) {
    const index = BASE32.indexOf(char)
    if (index < 0) return undefined
    value = ((value << 5) | index) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return new Uint8Array(out)
}

/** The CID (base32 text, `b…`) of `bytes` as one raw block. */
export function rawCidOf(bytes: Uint8Array): string {
  return `b${base32(concat([RAW_SHA256_PREFIX, sha256(bytes, 'bytes')]))}`
}

/** The CID of an `ipfs://<cid>` URI (a path after it is not part of the content address). */
export function cidOfUri(uri: string): string | undefined {
  const match = /^ipfs:\/\/([a-z0-9]{1,128})$/i.exec(uri.trim())
  return match?.[1]
}

/** Do `bytes` hash to `cid`? Only raw sha2-256 CIDv1s can say yes; anything else is `false`. */
export function contentMatchesCid(cid: string, bytes: Uint8Array): boolean {
  if (!cid.startsWith('b')) return false
  const decoded = fromBase32(cid.slice(1).toLowerCase())
  if (decoded?.length !== 36) return false
  if (bytesToHex(decoded.subarray(0, 4)) !== bytesToHex(RAW_SHA256_PREFIX)) return false
  return bytesToHex(decoded.subarray(4)) === bytesToHex(sha256(bytes, 'bytes'))
}
