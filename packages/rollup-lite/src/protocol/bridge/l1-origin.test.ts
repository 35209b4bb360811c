/** The L1 origin's header rule (SPEC.md §10.2): committed in extraData, inherited until moved. */
import { expect, test } from 'vitest'
import type { RollupHeader } from '../../chain/types.ts'
import { L1_CONFIRMATION_DEPTH } from '../config.ts'
import { l1OriginExtraData, l1OriginOf, nextBlockEnvironment } from '../header.ts'
import { maxL1Origin } from './l1-origin.ts'

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
