/** What RPC methods see of the node. */
import type { Common } from '@ethereumjs/common'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { type Hex, hexToBytes } from 'viem'
import { RpcCodes, RpcError } from '../chain/errors.ts'
import type { SealedBlock } from '../chain/types.ts'
import type { BlockExecutor } from '../exec/executor.ts'
import type { Mutex } from '../exec/mutex.ts'
import { createHistoricalStateManager } from '../exec/state.ts'
import type { Events } from '../sequencer/events.ts'
import type { Sequencer, SequencerEvents } from '../sequencer/sequencer.ts'
import type { ChainStore } from '../state/chain-store.ts'
import type { TrieDb } from '../state/trie-db.ts'
import type { Filters } from './filters.ts'
import type { RpcLimits } from './limits.ts'
import type { BlockRef } from './params.ts'

export type RollupStatus = {
  chainId: bigint
  head: { number: bigint; hash: string; stateRoot: string; timestamp: bigint }
  persistedHead: bigint
  openBlock: { number: bigint; txCount: number; gasUsed: bigint; baseFeePerGas: bigint }
  pendingCount: number
  /** Filled by the batcher (issue 5) through `setBatchStatus`. */
  lastBatch: { l1TxHash: string | null; l2BlockEnd: bigint | null; blobVersionedHashes: string[]; cid: string | null }
}

export type NodeContext = {
  chainId: bigint
  common: Common
  keccak256: (b: Uint8Array) => Uint8Array
  executor: BlockExecutor
  sequencer: Sequencer
  store: ChainStore
  trieDb: TrieDb
  mutex: Mutex
  events: Events<SequencerEvents>
  filters: Filters
  status(): RollupStatus
  lastBatch: RollupStatus['lastBatch']
  limits: RpcLimits
  /**
   * What `safe` and `finalized` name: a replica's head derived from L1 (its unsafe blocks from
   * gossip are `latest`); unset on the sequencer, where they name the published head.
   */
  safeHead?: () => SealedBlock
}

/** What one request may still spend: the JSON-RPC batch it belongs to shares one budget. */
export type BatchBudget = { gasLeft: bigint; deadline: number }
/**
 * `deferDurable`: a JSON-RPC batch admits its txs in order, then waits for their blocks together
 * (one group commit for the whole batch instead of one block per tx).
 */
export type RequestScope = { batch?: BatchBudget; admin: boolean; deferDurable?: (committed: Promise<void>) => void }

export const notFound = (what: string) => new RpcError(RpcCodes.resourceNotFound, `${what} not found`)

/** The published head: what `latest`, `pending` and `safe` name (sealed, on disk, visible). */
export const headOf = (ctx: NodeContext): SealedBlock => ctx.sequencer.head

/** A published block's number by hash; a block sealed but not yet on disk is not known yet. */
export async function publishedNumberByHash(ctx: NodeContext, hash: Hex): Promise<bigint | undefined> {
  const n = await ctx.store.blockNumberByHash(hash)
  return n === undefined || n > headOf(ctx).header.number ? undefined : n
}

/** The block `safe` and `finalized` name (see NodeContext.safeHead). */
export const safeHeadOf = (ctx: NodeContext): SealedBlock => ctx.safeHead?.() ?? headOf(ctx)

/** The published block a ref points to (a tag → the head, or the safe head). */
export async function resolveBlock(ctx: NodeContext, ref: BlockRef): Promise<SealedBlock | undefined> {
  const head = headOf(ctx)
  if ('tag' in ref) return ref.tag === 'safe' ? safeHeadOf(ctx) : head
  const n = 'number' in ref ? ref.number : await publishedNumberByHash(ctx, ref.hash)
  if (n === undefined || n > head.header.number) return undefined
  return n === head.header.number ? head : ctx.store.block(n)
}

/**
 * Runs `read` against the state root of the block a ref designates (a tag → the head's): a
 * read-only view that needs no mutex and sees exactly what that block's header commits to.
 */
export async function withState<T>(
  ctx: NodeContext,
  ref: BlockRef,
  read: (sm: MerkleStateManager) => Promise<T>,
): Promise<T> {
  const block = await resolveBlock(ctx, ref)
  if (!block) throw notFound('header')
  return read(await createHistoricalStateManager(ctx.common, ctx.trieDb, hexToBytes(block.header.stateRoot)))
}
