/**
 * Client of the devnet IPFS peer's HTTP API (src/ipfs/peer.ts): `POST /pin?cid=<cid>` with the raw
 * bytes (the peer recomputes the CID and refuses a mismatch), signed by the pinner's key when the
 * peer allows only some pinners; `GET /ipfs/<cid>` to read back. fetch-only: runs in Node and in the
 * browser Worker.
 */
import type { CID } from 'multiformats/cid'
import { PIN_SIGNATURE_HEADER, type PinSigner, pinMessage } from './pin-protocol.ts'

export type IpfsPinner = { pin(cid: CID, bytes: Uint8Array): Promise<void> }

export class IpfsPinError extends Error {
  override name = 'IpfsPinError'
  readonly shortMessage = 'IPFS peer did not pin the batch'
}

export type PinnerOptions = {
  /** Signs each pin request (the batcher's key), for a peer that accepts only allowed pinners. */
  signer?: PinSigner
}

export function httpPinner(baseUrl: string, options: PinnerOptions = {}): IpfsPinner {
  return {
    async pin(cid, bytes) {
      const signature = options.signer && (await options.signer.signMessage({ message: pinMessage(cid) }))
      const res = await fetch(`${baseUrl}/pin?cid=${cid.toString()}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          ...(signature ? { [PIN_SIGNATURE_HEADER]: signature } : {}),
        },
        body: bytes as BodyInit,
      }).catch((e: Error) => {
        throw new IpfsPinError(`${baseUrl}: ${e.message}`)
      })
      if (!res.ok) throw new IpfsPinError(`${baseUrl}: HTTP ${res.status} ${await res.text()}`)
    },
  }
}
