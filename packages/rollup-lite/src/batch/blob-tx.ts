/**
 * KZG sidecars for a channel's blobs, computed once per batch (pure-JS KZG is the costly part)
 * and reused by every (re)signing of the blob transaction.
 */
import { blobsToCommitments, blobsToProofs, bytesToHex, commitmentsToVersionedHashes, type Hex, type Kzg } from 'viem'
import { kzg as pureJsKzg } from '../chain/kzg.ts'
import { channelToBlobBytes } from '../protocol/codec/blob.ts'

export type BlobSidecars = {
  blobs: Hex[]
  sidecars: { blob: Hex; commitment: Hex; proof: Hex }[]
  versionedHashes: Hex[]
}

/** `kzg`: the pure-JS one by default (browser); Node passes the native one (chain/native-kzg.ts). */
export function channelSidecars(channel: Uint8Array, kzg: Kzg = pureJsKzg): BlobSidecars {
  // Bytes through KZG, hex only at the end: viem's hexToBytes of 128 kB blobs cost more than c-kzg.
  const bytes = channelToBlobBytes(channel)
  const commitments = blobsToCommitments({ blobs: bytes, kzg, to: 'bytes' })
  const proofs = blobsToProofs({ blobs: bytes, commitments, kzg, to: 'bytes' })
  const blobs = bytes.map((b) => bytesToHex(b))
  return {
    blobs,
    sidecars: blobs.map((blob, i) => ({
      blob,
      commitment: bytesToHex(commitments[i]!),
      proof: bytesToHex(proofs[i]!),
    })),
    versionedHashes: [...commitmentsToVersionedHashes({ commitments, to: 'hex' })],
  }
}
