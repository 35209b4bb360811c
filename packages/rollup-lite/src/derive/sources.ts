/**
 * Where a batch's channel bytes come from, each checked against its L1 commitment before use:
 * blobs (beacon API by slot, beacon.ts; KZG commitment → versioned hash) and IPFS (bytes → CID).
 */
import { readLimited } from '@seed/contracts'
import { CID } from 'multiformats/cid'
import { commitmentsToVersionedHashes, hexToBytes } from 'viem'
import { kzg as pureJsKzg } from '../chain/kzg.ts'
import { blobsToChannel, channelToBlobBytes, MAX_BLOB_DATA_SIZE, MAX_BLOBS_PER_TX } from '../protocol/codec/blob.ts'
import { channelCid } from '../protocol/codec/cid.ts'
import type { PostedBatch } from '../protocol/inbox.ts'
import { type BeaconClient, createBeaconClient } from './beacon.ts'
import { type BlobKzg, blobCommitments } from './blob-kzg.ts'
import { DataUnavailableError } from './data-unavailable.ts'

export { DataUnavailableError }

/** A channel never holds more than the blobs of one batch tx carry. */
export const MAX_CHANNEL_BYTES = MAX_BLOBS_PER_TX * MAX_BLOB_DATA_SIZE

const versionedHashes = async (blobs: Uint8Array[], kzg: BlobKzg) =>
  commitmentsToVersionedHashes({ commitments: await blobCommitments(blobs, kzg), to: 'hex' })

/**
 * The channel from a beacon node's blobs of the batch's L1 block (by slot: beacon.ts). `whileChecking` gets
 * the channel the node's answer would make, before the answer is checked against the batch's versioned hashes
 * (on other threads with a committer); when the check passes on those bytes, the channel returned is that very
 * array, so a caller keeps what it started on it by identity.
 */
export async function channelFromBlobs(
  beacon: BeaconClient | string,
  batch: PostedBatch,
  kzg: BlobKzg = pureJsKzg,
  whileChecking?: (unchecked: Uint8Array) => void,
): Promise<Uint8Array> {
  const client = typeof beacon === 'string' ? createBeaconClient(beacon) : beacon
  let candidate: readonly Uint8Array[] | undefined
  let early: Uint8Array | undefined
  const blobs = await client.blobs(
    { number: batch.l1Block, timestamp: batch.l1Timestamp },
    batch.blobHashes,
    kzg,
    whileChecking &&
      ((unchecked) => {
        if (unchecked.length !== batch.blobHashes.length) return // not the asked blobs in order: nothing to guess
        try {
          early = blobsToChannel(unchecked)
        } catch {
          return // not a canonical split: the checked blobs say what this is
        }
        candidate = unchecked
        whileChecking(early)
      }),
  )
  // The same checked arrays in the same order make the same bytes: the early channel is this one.
  if (early && candidate && blobs.every((b, i) => b === candidate![i])) return early
  return blobsToChannel(blobs)
}

/**
 * The channel from an IPFS peer's HTTP gateway. The bytes must hash to the CID on L1 and, packed
 * into blobs as the batcher packs them, to the blob versioned hashes on L1: a sequencer cannot
 * serve one thing to blob verifiers and another to IPFS verifiers (SPEC.md §7).
 */
export async function channelFromIpfs(
  ipfsUrl: string,
  batch: PostedBatch,
  kzg: BlobKzg = pureJsKzg,
): Promise<Uint8Array> {
  const cid = CID.decode(hexToBytes(batch.cid))
  let bytes: Uint8Array
  try {
    const res = await fetch(`${ipfsUrl}/ipfs/${cid.toString()}`)
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    bytes = await readLimited(res, MAX_CHANNEL_BYTES)
  } catch (e) {
    throw new DataUnavailableError('ipfs', `${cid}: ${(e as Error).message}`)
  }
  const actual = channelCid(bytes)
  if (!actual.equals(cid)) throw new DataUnavailableError('ipfs', `content of ${cid} hashes to ${actual} (tampered)`)
  const blobs = channelToBlobBytes(bytes)
  const hashes = await versionedHashes(blobs, kzg)
  if (hashes.length !== batch.blobHashes.length || hashes.some((h, i) => h !== batch.blobHashes[i])) {
    throw new DataUnavailableError('ipfs', `content of ${cid} is not the data of the blobs posted on L1`)
  }
  return bytes
}
