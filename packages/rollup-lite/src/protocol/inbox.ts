/**
 * The one reader of the L1 inbox (`RollupInbox`, SPEC.md §5): its head, a batch's stored record,
 * and the `BatchPosted` events, typed and checked to chain as the contract chains them. The batcher,
 * derivation and the extension read the inbox only through here.
 */
import { RollupInboxAbi } from '@seed/contracts'
import type { Address, Client, Hex } from 'viem'
import { getBlock, getContractEvents, readContract } from 'viem/actions'
import { type BatchCommitment, batchHash } from './batch-hash.ts'
import { BatchInvalidError } from './errors.ts'

export type PostedBatch = BatchCommitment & {
  batchHash: Hex
  l1Block: bigint
  /** The L1 block's timestamp: names its beacon slot. */
  l1Timestamp: bigint
  l1TxHash: Hex
}

/** What the next `postBatch` must continue: batch `count` with parent `batchHash`, from `lastBlock + 1`. */
export type InboxHead = { count: bigint; batchHash: Hex; lastBlock: bigint }

/** What the inbox stores per batch (the event carries the rest). */
export type BatchRecord = { batchHash: Hex; outputRoot: Hex; firstBlock: bigint; lastBlock: bigint; l1Block: bigint }

export async function readInboxHead(client: Client, inbox: Address): Promise<InboxHead> {
  const [count, hash, lastBlock] = await readContract(client, {
    address: inbox,
    abi: RollupInboxAbi,
    functionName: 'head',
  })
  return { count, batchHash: hash, lastBlock }
}

export function readBatchRecord(client: Client, inbox: Address, index: bigint): Promise<BatchRecord> {
  return readContract(client, { address: inbox, abi: RollupInboxAbi, functionName: 'batch', args: [index] })
}

/**
 * The `BatchPosted` events of the inbox from L1 block `fromBlock` on, in index order, checked to
 * chain like the contract checks: from batch 0 when reading from the start; from a later
 * `fromBlock`, from the first batch found there (a follower resuming where it stopped).
 */
export async function readPostedBatches(client: Client, inbox: Address, fromBlock = 0n): Promise<PostedBatch[]> {
  const logs = await getContractEvents(client, {
    address: inbox,
    abi: RollupInboxAbi,
    eventName: 'BatchPosted',
    fromBlock,
  })
  const batches = await withTimestamps(client, logs as readonly BatchPostedLog[])
  batches.sort((a, b) => (a.index < b.index ? -1 : 1))
  const resumed = fromBlock > 0n && batches.length > 0
  const first = resumed ? batches[0]!.index : 0n
  let parent: Hex = resumed ? batches[0]!.parentBatchHash : `0x${'00'.repeat(32)}`
  batches.forEach((b, i) => {
    const index = first + BigInt(i)
    if (b.index !== index) throw new BatchInvalidError(`inbox events skip batch ${index}`)
    if (b.parentBatchHash !== parent) throw new BatchInvalidError(`batch ${index}: parent hash does not chain`)
    checkBatchHash(b)
    parent = b.batchHash
  })
  return batches
}

/**
 * Batch `index` alone: `batch(index)` names the L1 block that accepted it, whose `BatchPosted` event
 * gives the rest. Undefined when the node has no logs for that block (a pruned or lagging node).
 */
export async function readPostedBatch(client: Client, inbox: Address, index: bigint): Promise<PostedBatch | undefined> {
  const { l1Block } = await readBatchRecord(client, inbox, index)
  const logs = await getContractEvents(client, {
    address: inbox,
    abi: RollupInboxAbi,
    eventName: 'BatchPosted',
    args: { index },
    fromBlock: l1Block,
    toBlock: l1Block,
  })
  const [batch] = await withTimestamps(client, logs as readonly BatchPostedLog[])
  if (batch) checkBatchHash(batch)
  return batch
}

function checkBatchHash(b: PostedBatch) {
  if (batchHash(b) !== b.batchHash)
    throw new BatchInvalidError(`batch ${b.index}: batch hash does not match its fields`)
}

/** A mined `BatchPosted` log (the reads ask for mined blocks only). */
type BatchPostedLog = { args: unknown; blockNumber: bigint; transactionHash: Hex; blockTimestamp?: bigint | null }

/** Typed batches from their logs, with each L1 block's timestamp: from the log where the node includes it, else one header per block. */
async function withTimestamps(client: Client, logs: readonly BatchPostedLog[]): Promise<PostedBatch[]> {
  const timestamps = new Map<bigint, bigint>()
  for (const l of logs) if (l.blockTimestamp != null) timestamps.set(l.blockNumber, l.blockTimestamp)
  const unknown = [...new Set(logs.map((l) => l.blockNumber))].filter((n) => !timestamps.has(n))
  const blocks = await Promise.all(unknown.map((blockNumber) => getBlock(client, { blockNumber })))
  for (const b of blocks) timestamps.set(b.number, b.timestamp)
  return logs.map((l) => ({
    ...(l.args as Omit<PostedBatch, 'l1Block' | 'l1Timestamp' | 'l1TxHash'>),
    l1Block: l.blockNumber,
    l1Timestamp: timestamps.get(l.blockNumber)!,
    l1TxHash: l.transactionHash,
  }))
}
