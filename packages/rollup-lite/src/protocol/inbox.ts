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

/** Batches `index` and later were dropped (a challenge resolved their output invalid); posting resumes at `index`. */
export type RollBack = { index: bigint; previousCount: bigint; l1Block: bigint }

/** One change to the inbox's batch list, in L1 order. */
export type InboxChange = { type: 'posted'; batch: PostedBatch } | ({ type: 'rolled-back' } & RollBack)

/**
 * The inbox's `BatchPosted` and `BatchesRolledBack` events in L1 order (block, then log index): folding them
 * in that order gives the current batch list (a post after a rollback replaces the dropped index).
 */
export async function readInboxChanges(
  client: Client,
  inbox: Address,
  range: { fromBlock?: bigint; toBlock?: bigint } = {},
): Promise<InboxChange[]> {
  const { fromBlock = 0n, toBlock } = range
  const [posted, rolledBack] = await Promise.all([
    getContractEvents(client, { address: inbox, abi: RollupInboxAbi, eventName: 'BatchPosted', fromBlock, toBlock }),
    getContractEvents(client, {
      address: inbox,
      abi: RollupInboxAbi,
      eventName: 'BatchesRolledBack',
      fromBlock,
      toBlock,
    }),
  ])
  const batches = await withTimestamps(client, posted as readonly BatchPostedLog[])
  const changes = [
    ...posted.map((l, i) => ({ at: l, change: { type: 'posted', batch: batches[i]! } as InboxChange })),
    ...rolledBack.map((l) => ({
      at: l,
      change: {
        type: 'rolled-back',
        index: l.args.index!,
        previousCount: l.args.previousCount!,
        l1Block: l.blockNumber,
      },
    })),
  ]
  changes.sort((a, b) =>
    a.at.blockNumber === b.at.blockNumber
      ? a.at.logIndex - b.at.logIndex
      : a.at.blockNumber < b.at.blockNumber
        ? -1
        : 1,
  )
  return changes.map((c) => c.change as InboxChange)
}

/**
 * Applies inbox changes to a batch list as the contract did: a rollback drops batches from its index, a
 * post must continue the list (index, parent hash, batch hash). Returns the new list. `first` is the index
 * of `batches[0]`: a follower resuming from a later L1 block starts at the first batch it finds, whose
 * parent it takes as given (it checked that parent when it read it before).
 */
export function applyInboxChanges(
  batches: readonly PostedBatch[],
  changes: readonly InboxChange[],
  first = 0n,
): PostedBatch[] {
  const out = [...batches]
  let base = first
  for (const c of changes) {
    if (c.type === 'rolled-back') {
      if (c.index < base) {
        base = c.index
        out.length = 0
      } else out.length = Math.min(out.length, Number(c.index - base))
      continue
    }
    const b = c.batch
    const index = base + BigInt(out.length)
    if (b.index !== index) throw new BatchInvalidError(`inbox events skip batch ${index}`)
    const parent = out.at(-1)?.batchHash ?? (base === 0n ? `0x${'00'.repeat(32)}` : b.parentBatchHash)
    if (b.parentBatchHash !== parent) throw new BatchInvalidError(`batch ${index}: parent hash does not chain`)
    checkBatchHash(b)
    out.push(b)
  }
  return out
}

/**
 * The inbox's current batches, in index order, checked to chain like the contract checks; batches dropped by
 * a rollback (`BatchesRolledBack`) are gone and their index holds the re-post, if any. From batch 0 when
 * reading from the start; from a later `fromBlock`, from the first batch found there (a follower resuming
 * where it stopped).
 */
export async function readPostedBatches(client: Client, inbox: Address, fromBlock = 0n): Promise<PostedBatch[]> {
  const changes = await readInboxChanges(client, inbox, { fromBlock })
  const firstPost = changes.find((c) => c.type === 'posted')
  const first = fromBlock > 0n && firstPost?.type === 'posted' ? firstPost.batch.index : 0n
  return applyInboxChanges([], changes, first)
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
