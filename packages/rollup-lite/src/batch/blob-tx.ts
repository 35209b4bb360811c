/**
 * KZG sidecars for a channel's blobs, computed once per batch (pure-JS KZG is the costly part)
 * and reused by every (re)signing of the blob transaction.
 */
import { blobsToCommitments, blobsToProofs, commitmentsToVersionedHashes, type Hex, toBlobSidecars } from 'viem'
import { kzg } from '../chain/kzg.ts'
import { channelToBlobs } from './blob.ts'

export type BlobSidecars = {
  blobs: Hex[]
  sidecars: { blob: Hex; commitment: Hex; proof: Hex }[]
  versionedHashes: Hex[]
}

export function channelSidecars(channel: Uint8Array): BlobSidecars {
  const blobs = channelToBlobs(channel)
  const commitments = blobsToCommitments({ blobs, kzg, to: 'hex' })
  const proofs = blobsToProofs({ blobs, commitments, kzg, to: 'hex' })
  return {
    blobs,
    sidecars: toBlobSidecars({ blobs, commitments, proofs, to: 'hex' }),
    versionedHashes: [...commitmentsToVersionedHashes({ commitments, to: 'hex' })],
  }
}
