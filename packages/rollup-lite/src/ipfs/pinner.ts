/**
 * Client of the devnet IPFS peer's HTTP API (src/ipfs/peer.ts): `POST /pin?cid=<cid>` with the raw
 * bytes (the peer recomputes the CID and refuses a mismatch), `GET /ipfs/<cid>` to read back.
 * fetch-only: runs in Node and in the browser Worker.
 */
import type { CID } from 'multiformats/cid'

export type IpfsPinner = { pin(cid: CID, bytes: Uint8Array): Promise<void> }

export class IpfsPinError extends Error {
  override name = 'IpfsPinError'
  readonly shortMessage = 'IPFS peer did not pin the batch'
}

export function httpPinner(baseUrl: string): IpfsPinner {
  return {
    async pin(cid, bytes) {
      const res = await fetch(`${baseUrl}/pin?cid=${cid.toString()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes as BodyInit,
      }).catch((e: Error) => {
        throw new IpfsPinError(`${baseUrl}: ${e.message}`)
      })
      if (!res.ok) throw new IpfsPinError(`${baseUrl}: HTTP ${res.status} ${await res.text()}`)
    },
  }
}
