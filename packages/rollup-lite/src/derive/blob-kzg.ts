/**
 * How derivation gets the KZG commitments of the blobs it checks: viem's `Kzg` on this thread, or
 * a committer that computes them elsewhere (Node: derive/kzg-threads.ts, c-kzg on worker threads).
 */
import type { Kzg } from 'viem'

export type BlobCommitter = {
  /** One commitment per blob, in order; an empty one for a blob that is no valid polynomial. */
  commit(blobs: Uint8Array[]): Promise<Uint8Array[]>
}

export type BlobKzg = Kzg | BlobCommitter

/**
 * A blob KZG cannot commit to (a field element ≥ the BLS modulus) gets an empty commitment: it
 * matches no versioned hash, so a hostile beacon's answer is unavailable data (the other source
 * takes over), never a divergence of the chain.
 */
export async function blobCommitments(blobs: Uint8Array[], kzg: BlobKzg): Promise<Uint8Array[]> {
  if ('commit' in kzg) return kzg.commit(blobs)
  return blobs.map((blob) => {
    try {
      return kzg.blobToKzgCommitment(blob)
    } catch {
      return new Uint8Array(0)
    }
  })
}
