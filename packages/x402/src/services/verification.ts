/**
 * Paid verification: sells a check of the rollup's posted batches (re-derivation from L1 blobs / IPFS, as
 * rollup-lite's verifier does). The seller supplies `verify`; the buyer gets its JSON verdict. Payment settles
 * only when verification ran (2xx), whatever its verdict.
 */
import type { SellServiceParameters, SoldService } from '../sell/sellService.ts'
import { sellService } from '../sell/sellService.ts'

export type BatchRange = { fromBatch?: number; toBatch?: number }

export type SellVerificationParameters = Omit<SellServiceParameters, 'handler' | 'method' | 'path'> & {
  verify(range: BatchRange): Promise<unknown>
}

export function sellVerification(parameters: SellVerificationParameters): Promise<SoldService> {
  const { verify, ...rest } = parameters
  return sellService({
    description: 'Verify the rollup batches posted on L1',
    ...rest,
    method: 'POST',
    path: '/verify-batches',
    handler: async (req, res) => {
      const body = (req.body ?? {}) as BatchRange
      const verdict = await verify({ fromBatch: body.fromBatch, toBatch: body.toBatch })
      res.json(verdict)
    },
  })
}
