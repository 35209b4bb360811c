/**
 * When the batcher EOA needs ETH, and how much (decision 0416). Pure: the background's alarm feeds
 * it what it read (balance, the journaled last top-up, lock state) and does what it says.
 */
import type { Address, Hex } from 'viem'
import { parseEther, parseGwei } from 'viem'

/** L1 ETH the smart account gives the batcher when it creates the inbox, and what a top-up refills to. */
export const BATCHER_FUNDING = parseEther('0.05')

/**
 * The most one batch post can need up front on the devnet: L1 accepts a blob tx only if the sender
 * holds gas × maxFeePerGas + blobGas × maxFeePerBlobGas. rollup-lite's batcher (SPEC.md §8) sets
 * maxFeePerBlobGas ≥ 1 gwei and sends up to 6 blobs of 131,072 blob gas; postBatch runs under
 * 300k gas at ≤ 2 gwei (anvil's base fee starts at 1 gwei and the batcher bids 2 × base + tip).
 * ≈ 0.0014 ETH — far above what a post really costs on an idle devnet, which is what matters here:
 * below it the next post is refused outright.
 */
export const BLOB_POST_MAX_COST = 6n * 131_072n * parseGwei('1') + 300_000n * parseGwei('2')

/** Top up below ~10 worst-case posts: hours of batching at the 10 s channel bound, never a refused post. */
export const BATCHER_LOW_BALANCE = 10n * BLOB_POST_MAX_COST

/** A top-up, journaled in chrome.storage.local before its user op leaves the wallet. */
/** After a failed top-up (reverted, refused by the EntryPoint) wait this long before trying again: no gas loop. */
export const RETRY_FAILED_AFTER_MS = 10 * 60_000

export type TopUpRecord = {
  id: string
  batcher: Address
  /** Wei, decimal. */
  amount: string
  status: 'signed' | 'submitted' | 'confirmed' | 'failed'
  userOpHash: Hex
  transactionHash?: Hex
  /** The L1 block that included it: balances read before it do not show it yet. */
  l1Block?: string
  at: number
  error?: string
}

export type TopUpPlan =
  /** A journaled top-up has not settled: finish it (same signed op), never sign another. */
  | { kind: 'resume'; record: TopUpRecord }
  | { kind: 'enough' }
  /** The balance was read at a block before the last top-up landed: wait for a fresh read. */
  | { kind: 'settling' }
  /** The last top-up failed a moment ago: not retried before `retryAt`. */
  | { kind: 'failed'; retryAt: number }
  | { kind: 'locked'; amount: bigint }
  | { kind: 'send'; amount: bigint }

export type TopUpInputs = {
  batcher: Address
  balance: bigint
  /** The L1 block the balance was read at. */
  balanceBlock: bigint
  last?: TopUpRecord
  unlocked: boolean
  threshold?: bigint
  target?: bigint
  now?: number
}

export function planTopUp({
  batcher,
  balance,
  balanceBlock,
  last,
  unlocked,
  threshold = BATCHER_LOW_BALANCE,
  target = BATCHER_FUNDING,
  now = Date.now(),
}: TopUpInputs): TopUpPlan {
  const sameBatcher = last?.batcher.toLowerCase() === batcher.toLowerCase()
  if (sameBatcher && (last.status === 'signed' || last.status === 'submitted')) return { kind: 'resume', record: last }
  if (balance >= threshold) return { kind: 'enough' }
  if (sameBatcher && last.status === 'confirmed' && last.l1Block && balanceBlock < BigInt(last.l1Block)) {
    return { kind: 'settling' }
  }
  if (sameBatcher && last.status === 'failed' && now < last.at + RETRY_FAILED_AFTER_MS) {
    return { kind: 'failed', retryAt: last.at + RETRY_FAILED_AFTER_MS }
  }
  const amount = target > balance ? target - balance : threshold
  return unlocked ? { kind: 'send', amount } : { kind: 'locked', amount }
}
