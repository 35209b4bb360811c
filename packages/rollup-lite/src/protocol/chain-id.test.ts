import { expect, test } from 'vitest'
import { ROLLUP_CHAIN_ID_BASE, rollupChainIdOf } from './chain-id.ts'

const inbox = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

test('an inbox chain id is in [2^44, 2^45), exact as a JavaScript number, and differs per inbox, L1 and attempt', () => {
  const id = rollupChainIdOf(31337, inbox)
  expect(BigInt(id)).toBeGreaterThanOrEqual(ROLLUP_CHAIN_ID_BASE)
  expect(BigInt(id)).toBeLessThan(2n * ROLLUP_CHAIN_ID_BASE)
  expect(Number.isSafeInteger(id)).toBe(true)
  expect(rollupChainIdOf(31337, inbox)).toBe(id)
  expect(rollupChainIdOf(1, inbox)).not.toBe(id)
  expect(rollupChainIdOf(31337, '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512')).not.toBe(id)
  expect(rollupChainIdOf(31337, inbox, 1n)).not.toBe(id)
})
