/**
 * Where a batch's channel bytes come from, each checked against its L1 commitment before use:
 * blobs (beacon API; KZG commitment → versioned hash) and IPFS (bytes → CID).
 */
import { RollupInboxAbi } from '@seed/contracts'
import { CID } from 'multiformats/cid'
import {
  type Address,
  blobsToCommitments,
  commitmentsToVersionedHashes,
  encodeAbiParameters,
  type Hex,
  hexToBytes,
  type Kzg,
  keccak256,
  type PublicClient,
} from 'viem'
import {
  BYTES_PER_BLOB,
  blobsToChannel,
  channelToBlobBytes,
  MAX_BLOB_DATA_SIZE,
  MAX_BLOBS_PER_TX,
} from '../batch/blob.ts'
import { channelCid } from '../batch/cid.ts'
import { BatchInvalidError } from '../batch/errors.ts'
import { kzg as pureJsKzg } from '../chain/kzg.ts'

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
  const batches = logs.map((l) => ({
    ...(l.args as Omit<PostedBatch, 'l1Block' | 'l1TxHash'>),
    l1Block: l.blockNumber,
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

export function batchHash(b: Omit<PostedBatch, 'batchHash' | 'l1Block' | 'l1TxHash'>): Hex {
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

export class DataUnavailableError extends Error {
  override name = 'DataUnavailableError'
  readonly shortMessage: string
  constructor(
    readonly source: 'blobs' | 'ipfs',
    reason: string,
  ) {
    super(`${source}: ${reason}`)
    this.shortMessage = `${source} data unavailable`
  }
}

/** Blobs one L1 block may carry (Prague: 9), with room to spare: bounds the blobs response. */
const MAX_BLOBS_PER_L1_BLOCK = 16
/** The hex JSON of that many blobs, plus its framing. */
export const MAX_BLOBS_RESPONSE_BYTES = MAX_BLOBS_PER_L1_BLOCK * (2 * BYTES_PER_BLOB + 16) + 4_096
/** A channel never holds more than the blobs of one batch tx carry. */
export const MAX_CHANNEL_BYTES = MAX_BLOBS_PER_TX * MAX_BLOB_DATA_SIZE

/** The body, read up to `limit` bytes: a larger answer is refused before it is all in memory. */
async function readLimited(res: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN)
  if (declared > limit) throw new Error(`answer of ${declared} bytes (at most ${limit})`)
  const reader = res.body?.getReader()
  if (!reader) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > limit) {
      await reader.cancel()
      throw new Error(`answer larger than ${limit} bytes`)
    }
    chunks.push(value)
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.length
  }
  return out
}

const versionedHashes = (blobs: Uint8Array[], kzg: Kzg) =>
  commitmentsToVersionedHashes({ commitments: blobsToCommitments({ blobs, kzg, to: 'bytes' }), to: 'hex' })

/** The channel from the beacon blobs endpoint; every blob must hash to its versioned hash. */
export async function channelFromBlobs(
  beaconUrl: string,
  batch: PostedBatch,
  kzg: Kzg = pureJsKzg,
): Promise<Uint8Array> {
  const url = `${beaconUrl}/eth/v1/beacon/blobs/${batch.l1Block}?versioned_hashes=${batch.blobHashes.join(',')}`
  let blobs: Hex[]
  try {
    const res = await fetch(url)
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    const json = JSON.parse(new TextDecoder().decode(await readLimited(res, MAX_BLOBS_RESPONSE_BYTES)))
    blobs = (json as { data: unknown }).data as Hex[]
    if (!Array.isArray(blobs) || blobs.some((b) => typeof b !== 'string' || b.length !== 2 + 2 * BYTES_PER_BLOB))
      throw new Error('not a list of blobs')
  } catch (e) {
    throw new DataUnavailableError('blobs', `${url}: ${(e as Error).message}`)
  }
  // Map every returned blob to its versioned hash; the endpoint may return others of the block.
  const bytes = blobs.map((b) => hexToBytes(b)) // once: KZG and unpacking both take bytes
  const hashes = versionedHashes(bytes, kzg)
  const byHash = new Map(hashes.map((h, i) => [h, bytes[i]!]))
  const ordered = batch.blobHashes.map((h) => byHash.get(h))
  const missing = ordered.indexOf(undefined)
  if (missing >= 0) {
    throw new DataUnavailableError(
      'blobs',
      `no blob matches versioned hash ${batch.blobHashes[missing]} (pruned or tampered)`,
    )
  }
  return blobsToChannel(ordered as Uint8Array[])
}

/**
 * The channel from an IPFS peer's HTTP gateway. The bytes must hash to the CID on L1 and, packed
 * into blobs as the batcher packs them, to the blob versioned hashes on L1: a sequencer cannot
 * serve one thing to blob verifiers and another to IPFS verifiers (SPEC.md §7).
 */
export async function channelFromIpfs(ipfsUrl: string, batch: PostedBatch, kzg: Kzg = pureJsKzg): Promise<Uint8Array> {
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
  const hashes = versionedHashes(blobs, kzg)
  if (hashes.length !== batch.blobHashes.length || hashes.some((h, i) => h !== batch.blobHashes[i])) {
    throw new DataUnavailableError('ipfs', `content of ${cid} is not the data of the blobs posted on L1`)
  }
  return bytes
}
