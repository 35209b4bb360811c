/** The L1 origin's rules (SPEC.md §10.2): committed in extraData, inherited until moved; the switch-over of rule 4. */
import { describe, expect, test } from 'vitest'
import type { RollupHeader } from '../../chain/types.ts'
import { L1_CONFIRMATION_DEPTH } from '../config.ts'
import { l1OriginExtraData, l1OriginOf, nextBlockEnvironment } from '../header.ts'
import { forceWindowOrigin, maxL1Origin } from './l1-origin.ts'

const parent = (number: bigint, extraData: `0x${string}`) =>
  ({ number, gasUsed: 0n, gasLimit: 60_000_000n, baseFeePerGas: 7n, extraData }) as RollupHeader

test('an origin is 8 bytes big-endian in extraData, and read back from it', () => {
  expect(l1OriginExtraData(0x0102n)).toBe('0x0000000000000102')
  expect(l1OriginOf(parent(5n, '0x0000000000000102'))).toBe(0x0102n)
})

test('a v1 block and the genesis carry no origin', () => {
  expect(l1OriginOf(parent(5n, '0x'))).toBeUndefined()
  expect(l1OriginOf(parent(0n, '0x0000000000000102'))).toBeUndefined()
})

test("a block keeps its parent's origin until it is moved", () => {
  expect(nextBlockEnvironment(parent(5n, l1OriginExtraData(40n)), 1n, { gasLimit: 1n }).l1Origin).toBe(40n)
  expect('l1Origin' in nextBlockEnvironment(parent(5n, '0x'), 1n, { gasLimit: 1n })).toBe(false)
})

test('the highest origin is the L1 head minus the confirmation depth', () => {
  expect(maxL1Origin(100n)).toBe(100n - L1_CONFIRMATION_DEPTH)
  expect(maxL1Origin(1n)).toBe(0n)
})

describe('the switch-over rule: a chain that began before its bridge (SPEC.md §10.2, rule 4)', () => {
  const activation = { l1Block: 500n, forceWindow: 120n }

  test('a batch posted before the bridge config was registered has no force window to meet', () => {
    expect(forceWindowOrigin(0n, 499n, activation)).toBeUndefined()
    expect(forceWindowOrigin(0n, 10_000n, undefined)).toBeUndefined()
  })

  test('from the registration block on, a pre-bridge origin (0, or any before it) is checked as the block before it', () => {
    expect(forceWindowOrigin(0n, 500n, activation)).toBe(499n)
    expect(forceWindowOrigin(0n, 10_000n, activation)).toBe(499n)
    expect(forceWindowOrigin(320n, 10_000n, activation)).toBe(499n)
    expect(forceWindowOrigin(499n, 10_000n, activation)).toBe(499n)
  })

  test('an origin at or after the registration is checked as itself (the usual rule)', () => {
    expect(forceWindowOrigin(500n, 10_000n, activation)).toBe(500n)
    expect(forceWindowOrigin(9_000n, 10_000n, activation)).toBe(9_000n)
  })

  test('a chain registered in L1 block 0 (a test chain) checks origin 0 itself', () => {
    expect(forceWindowOrigin(0n, 7n, { l1Block: 0n, forceWindow: 1n })).toBe(0n)
  })
})
