/**
 * How derivation gets the KZG commitments of the blobs it checks: viem's `Kzg` on this thread, or
 * a committer that computes them elsewhere (Node: derive/kzg-threads.ts, c-kzg on worker threads).
 */
import { blobsToCommitments, type Kzg } from 'viem'

export type BlobCommitter = {
  /** One commitment per blob, in order; an empty one for a blob that is no valid polynomial. */
  commit(blobs: Uint8Array[]): Promise<Uint8Array[]>
}

export type BlobKzg = Kzg | BlobCommitter

export async function blobCommitments(blobs: Uint8Array[], kzg: BlobKzg): Promise<Uint8Array[]> {
  return 'commit' in kzg ? kzg.commit(blobs) : [...blobsToCommitments({ blobs, kzg, to: 'bytes' })]
}
