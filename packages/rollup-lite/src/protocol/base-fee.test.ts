import { describe, expect, it } from 'vitest'
import { nextBaseFee } from './base-fee.ts'

describe('nextBaseFee', () => {
  const parent = { gasLimit: 30_000_000n, baseFeePerGas: 1_000_000_000n }
  it('stays at target, rises 12.5% when full, falls 12.5% when empty', () => {
    expect(nextBaseFee({ ...parent, gasUsed: 15_000_000n })).toBe(1_000_000_000n)
    expect(nextBaseFee({ ...parent, gasUsed: 30_000_000n })).toBe(1_125_000_000n)
    expect(nextBaseFee({ ...parent, gasUsed: 0n })).toBe(875_000_000n)
  })
})
