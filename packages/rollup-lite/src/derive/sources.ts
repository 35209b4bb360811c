/**
 * Where a batch's channel bytes come from, each checked against its L1 commitment before use:
 * blobs (beacon API by slot, beacon.ts; KZG commitment → versioned hash) and IPFS (bytes → CID).
 */
import { RollupInboxAbi } from '@seed/contracts'
import { CID } from 'multiformats/cid'
import {
  type Address,
  commitmentsToVersionedHashes,
  encodeAbiParameters,
  type Hex,
  hexToBytes,
  keccak256,
  type PublicClient,
} from 'viem'
import { blobsToChannel, channelToBlobBytes, MAX_BLOB_DATA_SIZE, MAX_BLOBS_PER_TX } from '../batch/blob.ts'
import { channelCid } from '../batch/cid.ts'
import { BatchInvalidError } from '../batch/errors.ts'
import { kzg as pureJsKzg } from '../chain/kzg.ts'
import { type BeaconClient, createBeaconClient } from './beacon.ts'
import { type BlobKzg, blobCommitments } from './blob-kzg.ts'
import { DataUnavailableError, readLimited } from './data-unavailable.ts'

export { DataUnavailableError }

export type PostedBatch = {
  index: bigint
  batchHash: Hex
  parentBatchHash: Hex
  firstBlock: bigint
  lastBlock: bigint
  outputRoot: Hex
  blobHashes: readonly Hex[]
  cid: Hex
  l1Block: bigint
  /** The L1 block's timestamp: names its beacon slot. */
  l1Timestamp: bigint
  l1TxHash: Hex
}

/** All BatchPosted events of the inbox, in index order, checked to chain like the contract checks. */
export async function fetchPostedBatches(client: PublicClient, inbox: Address, fromBlock = 0n): Promise<PostedBatch[]> {
  const logs = await client.getContractEvents({
    address: inbox,
    abi: RollupInboxAbi,
    eventName: 'BatchPosted',
    fromBlock,
  })
  const timestamps = await blockTimestamps(client, logs)
  const batches = logs.map((l) => ({
    ...(l.args as Omit<PostedBatch, 'l1Block' | 'l1Timestamp' | 'l1TxHash'>),
    l1Block: l.blockNumber,
    l1Timestamp: timestamps.get(l.blockNumber)!,
    l1TxHash: l.transactionHash,
  }))
  batches.sort((a, b) => (a.index < b.index ? -1 : 1))
  let parent: Hex = `0x${'00'.repeat(32)}`
  batches.forEach((b, i) => {
    if (b.index !== BigInt(i)) throw new BatchInvalidError(`inbox events skip batch ${i}`)
    if (b.parentBatchHash !== parent) throw new BatchInvalidError(`batch ${i}: parent hash does not chain`)
    if (batchHash(b) !== b.batchHash) throw new BatchInvalidError(`batch ${i}: batch hash does not match its fields`)
    parent = b.batchHash
  })
  return batches
}

/** Each log's block timestamp: from the log where the node includes it, else one header per block. */
async function blockTimestamps(
  client: PublicClient,
  logs: readonly { blockNumber: bigint; blockTimestamp?: bigint | null }[],
): Promise<Map<bigint, bigint>> {
  const timestamps = new Map<bigint, bigint>()
  for (const l of logs) if (l.blockTimestamp != null) timestamps.set(l.blockNumber, l.blockTimestamp)
  const unknown = [...new Set(logs.map((l) => l.blockNumber))].filter((n) => !timestamps.has(n))
  const blocks = await Promise.all(unknown.map((blockNumber) => client.getBlock({ blockNumber })))
  for (const b of blocks) timestamps.set(b.number, b.timestamp)
  return timestamps
}

export function batchHash(b: Omit<PostedBatch, 'batchHash' | 'l1Block' | 'l1Timestamp' | 'l1TxHash'>): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: 'uint256' },
        { type: 'bytes32' },
        { type: 'uint64' },
        { type: 'uint64' },
        { type: 'bytes32' },
        { type: 'bytes32[]' },
        { type: 'bytes32' },
      ],
      [b.index, b.parentBatchHash, b.firstBlock, b.lastBlock, b.outputRoot, [...b.blobHashes], keccak256(b.cid)],
    ),
  )
}

/** A channel never holds more than the blobs of one batch tx carry. */
export const MAX_CHANNEL_BYTES = MAX_BLOBS_PER_TX * MAX_BLOB_DATA_SIZE

const versionedHashes = async (blobs: Uint8Array[], kzg: BlobKzg) =>
  commitmentsToVersionedHashes({ commitments: await blobCommitments(blobs, kzg), to: 'hex' })

/** The channel from a beacon node's blobs of the batch's L1 block (by slot: beacon.ts). */
export async function channelFromBlobs(
  beacon: BeaconClient | string,
  batch: PostedBatch,
  kzg: BlobKzg = pureJsKzg,
): Promise<Uint8Array> {
  const client = typeof beacon === 'string' ? createBeaconClient(beacon) : beacon
  const blobs = await client.blobs({ number: batch.l1Block, timestamp: batch.l1Timestamp }, batch.blobHashes, kzg)
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
