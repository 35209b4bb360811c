/**
 * `/seed/pin/1.0.0`, a libp2p protocol of the devnet IPFS peer: a batcher's Helia node opens a
 * stream, writes the binary CID of a block it holds and closes its side; the peer fetches the
 * block from it over bitswap, pins it and answers one JSON line `{"cid"}` or `{"error"}`.
 */
import { CID } from 'multiformats/cid'

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
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/** Only single raw sha2-256 blocks (SPEC.md §4) are pinned through this protocol. */
export function parsePinRequest(bytes: Uint8Array): CID {
  const cid = CID.decode(bytes)
  if (cid.version !== 1 || cid.code !== 0x55 || cid.multihash.code !== 0x12) {
    throw new Error(`${cid} is not a CIDv1 raw sha2-256 block`)
  }
  return cid
}
