/**
 * EIP-1559 next base fee (SPEC.md §1.3), with this rollup's clamp: a rise is at least 1 wei, and
 * the base fee never falls below MIN_BASE_FEE (an empty chain settles there instead of at 0).
 */
export const ELASTICITY_MULTIPLIER = 2n
export const BASE_FEE_MAX_CHANGE_DENOMINATOR = 8n
export const MIN_BASE_FEE = 7n

export function nextBaseFee(parent: { gasUsed: bigint; gasLimit: bigint; baseFeePerGas: bigint }): bigint {
  const target = parent.gasLimit / ELASTICITY_MULTIPLIER
  const base = parent.baseFeePerGas
  if (target === 0n || parent.gasUsed === target) return base
  if (parent.gasUsed > target) {
    const delta = (base * (parent.gasUsed - target)) / target / BASE_FEE_MAX_CHANGE_DENOMINATOR
    return base + (delta > 1n ? delta : 1n)
  }
  const delta = (base * (target - parent.gasUsed)) / target / BASE_FEE_MAX_CHANGE_DENOMINATOR
  const next = base - delta
  return next > MIN_BASE_FEE ? next : MIN_BASE_FEE
}
