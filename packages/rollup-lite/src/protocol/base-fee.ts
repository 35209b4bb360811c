/** EIP-1559 next base fee (elasticity 2, max change 1/8). */
export function nextBaseFee(parent: { gasUsed: bigint; gasLimit: bigint; baseFeePerGas: bigint }): bigint {
  const target = parent.gasLimit / 2n
  const base = parent.baseFeePerGas
  if (target === 0n || parent.gasUsed === target) return base
  if (parent.gasUsed > target) {
    const delta = (base * (parent.gasUsed - target)) / target / 8n
    return base + (delta > 1n ? delta : 1n)
  }
  const delta = (base * (target - parent.gasUsed)) / target / 8n
  const next = base - delta
  return next > 7n ? next : 7n
}
