/**
 * What the output watcher says about each output it checked (one JSON line each on the CLI's stdout).
 * Indexes and amounts are decimal strings in JSON, so a reader never loses precision.
 */
import type { Address, Hex } from 'viem'

export type OutputVerdict =
  /** Re-derived: the posted output root is the derived one. */
  | { verdict: 'ok'; index: bigint; outputRoot: Hex; l2Block: bigint }
  /** The posted root differs from the derived one (or the batch is invalid) and this watcher challenged it. */
  | { verdict: 'challenged'; index: bigint; outputRoot: Hex; derived?: Hex; reason: string; txHash: Hex; bond: bigint }
  /** A mismatch someone (maybe this watcher before a restart) already challenged, or the guardians resolved valid. */
  | {
      verdict: 'already-challenged'
      index: bigint
      outputRoot: Hex
      derived?: Hex
      challenge: 'pending' | 'resolved-valid'
      challenger?: Address
    }
  /** A mismatch found after its challenge window closed: nothing to do on L1 any more. */
  | { verdict: 'window-passed'; index: bigint; outputRoot: Hex; derived?: Hex; closedAt: bigint }
  /** A mismatch this watcher cannot challenge: no challenger key, or the chain has no bridge config. */
  | { verdict: 'mismatch'; index: bigint; outputRoot: Hex; derived?: Hex; reason: string; unchallenged: string }
  /** No data matching the batch's commitments yet (blobs or IPFS): retried on the next poll. */
  | { verdict: 'unavailable'; index: bigint; reason: string }
  /** The guardians resolved an output invalid: batches from `index` are gone, derivation continues before them. */
  | { verdict: 'rolled-back'; index: bigint; previousCount: bigint }
  /** An ERC-8004 validation request naming this verifier was answered. */
  | {
      verdict: 'validation-response'
      requestHash: Hex
      response: number
      txHash: Hex
      fromBatch: bigint
      toBatch: bigint
    }
  /** A validation request naming this verifier that it will not answer (another inbox, a request it cannot read). */
  | { verdict: 'validation-skipped'; requestHash: Hex; reason: string }

/** One JSON line: bigints as decimal strings. */
export function verdictJson(v: OutputVerdict): string {
  return JSON.stringify(v, (_key, value) => (typeof value === 'bigint' ? value.toString() : value))
}

/** What the watcher concluded about one posting of a batch. */
export type CheckedBatch = { batchHash: Hex; ok: boolean; derived?: Hex }
