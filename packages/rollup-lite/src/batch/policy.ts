/**
 * Batch policy (SPEC.md "Batch policy"): which pending L2 blocks go into the next batch and when.
 * A batch is cut when it would fill `minFill` of its blob capacity, or when its oldest block has
 * waited `maxChannelDurationMs` (latency bound for quiet chains: then it posts whatever it has).
 */
import { MAX_BLOB_DATA_SIZE, MAX_BLOBS_PER_TX } from '../protocol/codec/blob.ts'
import { encodeBatch } from '../protocol/codec/channel.ts'
import type { Batch, BatchBlock } from '../protocol/types.ts'

export type BatchPolicy = {
  maxBlobs: number
  /** Post once the channel fills this share of `maxBlobs` blobs. */
  minFill: number
  /** Post anyway once the oldest pending block is this old (wall clock of its timestamp). */
  maxChannelDurationMs: number
}

export const DEFAULT_POLICY: BatchPolicy = { maxBlobs: MAX_BLOBS_PER_TX, minFill: 0.95, maxChannelDurationMs: 60_000 }

/**
 * The longest prefix of `blocks` whose channel fits `maxBlobs` blobs (binary search: the encoded
 * size grows with the block count, compression makes it only roughly linear).
 */
export function fitBlocks(
  base: Omit<Batch, 'blocks'>,
  blocks: readonly BatchBlock[],
  maxBlobs: number,
): { count: number; channel: Uint8Array } | undefined {
  const capacity = maxBlobs * MAX_BLOB_DATA_SIZE
  let lo = 0
  let hi = blocks.length
  let best: { count: number; channel: Uint8Array } | undefined
  // Try the whole range first: usually it fits and one encode is enough.
  let first = true
  while (lo < hi) {
    const mid = first ? hi : Math.ceil((lo + hi) / 2)
    first = false
    const channel = encodeBatch({ ...base, blocks: blocks.slice(0, mid) })
    if (channel.length <= capacity) {
      best = { count: mid, channel }
      lo = mid
    } else {
      hi = mid - 1
    }
    if (best?.count === blocks.length) break
  }
  return best
}

export type BatchDecision = { post: false; reason: string } | { post: true; count: number; channel: Uint8Array }

export function decideBatch(
  base: Omit<Batch, 'blocks'>,
  blocks: readonly BatchBlock[],
  policy: BatchPolicy,
  nowMs: number,
): BatchDecision {
  if (blocks.length === 0) return { post: false, reason: 'no new blocks' }
  const oldestMs = Number(blocks[0]!.timestamp) * 1000
  const expired = nowMs - oldestMs >= policy.maxChannelDurationMs
  // Cheap guard before encoding: a transfer costs ~68 bytes, an RLP tx ~115, so half the RLP size
  // is an upper-bound-ish estimate. Encoding (and KZG) only happens when a post is likely.
  const estimate = blocks.reduce((n, b) => n + b.transactions.reduce((m, t) => m + t.length / 4, 40), 0)
  const capacity = policy.maxBlobs * MAX_BLOB_DATA_SIZE
  if (!expired && estimate < policy.minFill * capacity) {
    return { post: false, reason: `~${Math.round(estimate)} of ${capacity} bytes, waiting for more blocks` }
  }
  const fit = fitBlocks(base, blocks, policy.maxBlobs)
  if (!fit) throw new RangeError(`block ${blocks[0]!.number} alone does not fit ${policy.maxBlobs} blobs`)
  const full = fit.count < blocks.length || fit.channel.length >= policy.minFill * capacity
  if (full || expired) return { post: true, ...fit }
  return { post: false, reason: `channel ${fit.channel.length} bytes, waiting for more blocks` }
}
