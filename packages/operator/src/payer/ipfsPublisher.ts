/**
 * Publishes a feedback file as one raw IPFS block through an IPFS peer's `POST /pin` (signed by a key the
 * peer admits as a pinner, decision 0310) and answers its `ipfs://` URI: readers check the bytes against the
 * CID, so the peer is only a transport.
 */
import { BountyError, rawCidOf } from '@seed/contracts'
import type { Hex } from 'viem'

export type PublishFile = (bytes: Uint8Array) => Promise<string>

/** `signer`: a key the IPFS peer admits as a pinner (it signs `seed-pin:<cid>`, EIP-191). */
export function ipfsPublisher(
  ipfsUrl: string,
  signer: { signMessage(args: { message: string }): Promise<Hex> },
): PublishFile {
  return async (bytes) => {
    const cid = rawCidOf(bytes)
    const signature = await signer.signMessage({ message: `seed-pin:${cid}` })
    const res = await fetch(`${ipfsUrl}/pin?cid=${cid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'seed-pin-signature': signature },
      body: bytes as BodyInit,
      signal: AbortSignal.timeout(10_000),
    })
    if (!res.ok) throw new BountyError('the IPFS peer did not pin the feedback file', { details: await res.text() })
    return `ipfs://${cid}`
  }
}
