/**
 * Paid pinning: sells pinning of batch channels on an IPFS peer (its HTTP API: `POST /pin?cid=<cid>` with the
 * raw bytes; the peer recomputes the CID and refuses a mismatch, so a seller cannot be made to pin garbage
 * under someone else's CID). A peer that takes pins only from allowed keys allows the seller's `signer`: then
 * strangers pin only by paying. `paidPinner` is the buyer's side, shaped like rollup-lite's `IpfsPinner`, so the
 * batcher pays for each pin through x402.
 */
import { PIN_SIGNATURE_HEADER, type PinSigner, pinMessage } from '@seed/rollup-lite/ipfs-browser'
import { SeedX402Error } from '../errors.ts'
import type { SellServiceParameters, SoldService } from '../sell/sellService.ts'
import { sellService } from '../sell/sellService.ts'

export type SellPinningParameters = Omit<SellServiceParameters, 'handler' | 'method' | 'path'> & {
  /** The IPFS peer's HTTP API base URL. */
  ipfsUrl: string
  /** Signs each pin for a peer that accepts only allowed pinners (its `pinners` list holds this key). */
  signer?: PinSigner
}

export function sellPinning(parameters: SellPinningParameters): Promise<SoldService> {
  const { ipfsUrl, signer, ...rest } = parameters
  return sellService({
    description: 'Pin a rollup batch channel on IPFS',
    mimeType: 'text/plain',
    ...rest,
    method: 'POST',
    path: '/pin',
    handler: async (req, res) => {
      const cid = String(req.query.cid ?? '')
      if (!Buffer.isBuffer(req.body) || !cid) {
        res.status(400).send('POST /pin?cid=<cid> with an application/octet-stream body')
        return
      }
      const signature = signer && (await signer.signMessage({ message: pinMessage(cid) }))
      const upstream = await fetch(`${ipfsUrl}/pin?cid=${encodeURIComponent(cid)}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          ...(signature ? { [PIN_SIGNATURE_HEADER]: signature } : {}),
        },
        body: new Uint8Array(req.body),
      })
      // A refused pin answers 4xx/5xx: the x402 middleware then does not settle, so the buyer pays nothing.
      res.status(upstream.status).send(await upstream.text())
    },
  })
}

export class PaidPinError extends SeedX402Error {
  override name = 'PaidPinError'
}

/** An `IpfsPinner` (rollup-lite) that pays the pinning service for each pin. */
export function paidPinner(serviceUrl: string, payingFetch: (input: string, init?: RequestInit) => Promise<Response>) {
  return {
    async pin(cid: { toString(): string }, bytes: Uint8Array): Promise<void> {
      const res = await payingFetch(`${serviceUrl}?cid=${cid.toString()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes as BodyInit,
      })
      if (!res.ok) throw new PaidPinError(`paid pin of ${cid} failed: HTTP ${res.status} ${await res.text()}`)
    },
  }
}
