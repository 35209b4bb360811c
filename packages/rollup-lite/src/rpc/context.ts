/** What RPC methods see of the node. */
import type { Common } from '@ethereumjs/common'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { hexToBytes } from 'viem'
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
}

/** What one request may still spend: the JSON-RPC batch it belongs to shares one budget. */
export type BatchBudget = { gasLeft: bigint; deadline: number }
export type RequestScope = { batch?: BatchBudget; admin: boolean }

export const notFound = (what: string) => new RpcError(RpcCodes.resourceNotFound, `${what} not found`)

/** The sealed block a ref points to ('latest' → head). */
export async function resolveBlock(ctx: NodeContext, ref: BlockRef): Promise<SealedBlock | undefined> {
  if ('tag' in ref) return ctx.executor.head
  if ('number' in ref) {
    if (ref.number === ctx.executor.head.header.number) return ctx.executor.head
    return ctx.store.block(ref.number)
  }
  const n = await ctx.store.blockNumberByHash(ref.hash)
  return n === undefined ? undefined : ctx.store.block(n)
}

/**
 * Runs `read` against the state a ref designates: the live state (with soft-confirmed txs, under
 * the mutex) for latest/pending, or a read-only view of an older block's state root.
 */
export async function withState<T>(
  ctx: NodeContext,
  ref: BlockRef,
  read: (sm: MerkleStateManager) => Promise<T>,
): Promise<T> {
  if (!('tag' in ref)) {
    const block = await resolveBlock(ctx, ref)
    if (!block) throw notFound('header')
    const live = block.hash === ctx.executor.head.hash && ctx.executor.open.txs.length === 0
    if (!live)
      return read(await createHistoricalStateManager(ctx.common, ctx.trieDb, hexToBytes(block.header.stateRoot)))
  }
  return ctx.mutex.run(() => read(ctx.executor.vm.stateManager as MerkleStateManager))
}
