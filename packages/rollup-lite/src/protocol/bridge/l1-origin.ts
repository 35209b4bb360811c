/**
 * The L1 origin rules of v2 (SPEC.md §10.2): every L2 block names an L1 block (its origin),
 * non-decreasing, at most the latest L1 block minus the confirmation depth when it is sealed; a
 * block that moves its origin to N starts with every deposit of L1 blocks (previous origin, N].
 * A chain may start before its bridge exists (the wallet's embedded chain): the switch-over rule.
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

/**
 * Where and when a chain's bridge began (SPEC.md §10.2, switch-over): the L1 block of its one-time config
 * registration (the portal's `BridgeConfigRegistered` log, permanent, unlike state at an old block) and the
 * force window it registered. No deposit of the chain exists before that block: the portal refuses them.
 */
export type BridgeActivation = { l1Block: bigint; forceWindow: bigint }

/**
 * The L1 block whose timestamp rule 4 checks for a batch posted in L1 block `postedIn` whose first block has
 * origin `firstOrigin`, or undefined when the rule does not apply (no bridge config at or before `postedIn`).
 * An origin before the registration block `R` (origin 0 of blocks sealed before the node had a feed) has moved
 * past every deposit there is, as `R − 1` would: it is checked as `R − 1`. So the blocks a chain sealed before
 * its bridge existed must be posted within the force window after `R − 1`, and from then on the rule is the usual one.
 */
export function forceWindowOrigin(
  firstOrigin: bigint,
  postedIn: bigint,
  activation: BridgeActivation | undefined,
): bigint | undefined {
  if (!activation || postedIn < activation.l1Block) return undefined
  const floor = activation.l1Block > 0n ? activation.l1Block - 1n : 0n
  return firstOrigin > floor ? firstOrigin : floor
}
