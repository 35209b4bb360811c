/**
 * The L1 origin rules of v2 (SPEC.md §10.2): every L2 block names an L1 block (its origin),
 * non-decreasing, at most the latest L1 block minus the confirmation depth when it is sealed; a
 * block that moves its origin to N starts with every deposit of L1 blocks (previous origin, N].
 */
import { L1_CONFIRMATION_DEPTH } from '../config.ts'
import type { Deposit } from './deposit.ts'

/** The highest origin a block sealed when `latestL1Block` is L1's head may take. */
export function maxL1Origin(latestL1Block: bigint, depth: bigint = L1_CONFIRMATION_DEPTH): bigint {
  return latestL1Block > depth ? latestL1Block - depth : 0n
}

/** The deposits a block moving its origin from `previous` to `next` includes first, in L1 log order. */
export function depositsForOrigin(deposits: readonly Deposit[], previous: bigint, next: bigint): Deposit[] {
  return deposits
    .filter((d) => d.l1BlockNumber > previous && d.l1BlockNumber <= next)
    .sort((a, b) =>
      a.l1BlockNumber === b.l1BlockNumber ? a.logIndex - b.logIndex : a.l1BlockNumber < b.l1BlockNumber ? -1 : 1,
    )
}
