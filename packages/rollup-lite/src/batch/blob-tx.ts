/**
 * KZG sidecars for a channel's blobs, computed once per batch (pure-JS KZG is the costly part)
 * and reused by every (re)signing of the blob transaction.
 */
import {
  blobsToCommitments,
  blobsToProofs,
  commitmentsToVersionedHashes,
  type Hex,
  type Kzg,
  toBlobSidecars,
} from 'viem'
import { kzg as pureJsKzg } from '../chain/kzg.ts'
import { channelToBlobs } from './blob.ts'

export type BlobSidecars = {
  blobs: Hex[]
  sidecars: { blob: Hex; commitment: Hex; proof: Hex }[]
  versionedHashes: Hex[]
}

/** `kzg`: the pure-JS one by default (browser); Node passes the native one (batch/native-kzg.ts). */
export function channelSidecars(channel: Uint8Array, kzg: Kzg = pureJsKzg): BlobSidecars {
  const blobs = channelToBlobs(channel)
  const commitments = blobsToCommitments({ blobs, kzg, to: 'hex' })
  const proofs = blobsToProofs({ blobs, commitments, kzg, to: 'hex' })
  return {
    blobs,
    sidecars: toBlobSidecars({ blobs, commitments, proofs, to: 'hex' }),
    versionedHashes: [...commitmentsToVersionedHashes({ commitments, to: 'hex' })],
  }
}
