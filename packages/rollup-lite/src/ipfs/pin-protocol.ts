/**
 * `/seed/pin/1.0.0`, a libp2p protocol of the devnet IPFS peer: a batcher's Helia node opens a
 * stream, writes the binary CID of a block it holds followed by the pinner's 65-byte signature of
 * `pinMessage(cid)` and closes its side; the peer checks the signer, fetches the block from it over
 * bitswap, pins it and answers one JSON line `{"cid"}` or `{"error"}`. Over HTTP the same signature
 * goes in the `seed-pin-signature` header.
 */
import { CID } from 'multiformats/cid'
import { bytesToHex, concatBytes, type Hex, hexToBytes } from 'viem'

export const PIN_PROTOCOL = '/seed/pin/1.0.0'

/** Largest block the peer fetches: 6 full blobs of channel data fit with room to spare. */
export const MAX_PIN_BYTES = 1024 * 1024

export type PinReply = { cid: string } | { error: string }

/** Reads a whole libp2p stream source (Uint8Array or Uint8ArrayList chunks), at most `max` bytes. */
export async function readAll(
  source: AsyncIterable<Uint8Array | { subarray(): Uint8Array }>,
  max = 4096,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of source) {
    const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray()
    size += bytes.length
    if (size > max) throw new Error(`stream above ${max} bytes`)
    chunks.push(bytes)
  }
  return concatBytes(chunks)
}

/** HTTP header carrying the pinner's signature. */
export const PIN_SIGNATURE_HEADER = 'seed-pin-signature'

/**
 * What a pinner signs (EIP-191 personal message): the CID only. A replayed signature can only pin
 * the same block again, which the peer already holds.
 */
export const pinMessage = (cid: CID | string) => `seed-pin:${cid.toString()}`

/** Signs pin requests: a viem local account (the batcher's key) fits. */
export type PinSigner = { signMessage(args: { message: string }): Promise<Hex> }

export async function encodePinRequest(cid: CID, signer?: PinSigner): Promise<Uint8Array> {
  if (!signer) return cid.bytes
  const signature = hexToBytes(await signer.signMessage({ message: pinMessage(cid) }))
  const out = new Uint8Array(cid.bytes.length + signature.length)
  out.set(cid.bytes)
  out.set(signature, cid.bytes.length)
  return out
}

/** Only single raw sha2-256 blocks (SPEC.md §4) are pinned through this protocol. */
export function parsePinRequest(bytes: Uint8Array): { cid: CID; signature?: Hex } {
  const [cid, rest] = CID.decodeFirst(bytes)
  if (cid.version !== 1 || cid.code !== 0x55 || cid.multihash.code !== 0x12) {
    throw new Error(`${cid} is not a CIDv1 raw sha2-256 block`)
  }
  if (rest.length !== 0 && rest.length !== 65) throw new Error(`a pin signature has 65 bytes, not ${rest.length}`)
  return { cid, signature: rest.length ? bytesToHex(rest) : undefined }
}
