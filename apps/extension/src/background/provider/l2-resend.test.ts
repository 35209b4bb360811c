import { type Hex, keccak256, size } from 'viem'
import { expect, test } from 'vitest'
import type { RawL2Send } from '../../core/storage.ts'
import { boundedJournal, JOURNAL_LIMITS } from './l2-resend.ts'

const sendOf = (bytes: number, at: number, tag = at): RawL2Send => {
  const raw = `0x${tag.toString(16).padStart(8, '0')}${'ab'.repeat(bytes - 4)}` as Hex
  return { hash: keccak256(raw), raw, at }
}

test('a flood of raw txs keeps only the newest sends, within the count bound', () => {
  let journal: RawL2Send[] = []
  for (let i = 0; i < JOURNAL_LIMITS.sends * 3; i++) journal = boundedJournal(journal, sendOf(120, 1_000 + i))
  expect(journal).toHaveLength(JOURNAL_LIMITS.sends)
  expect(journal.at(-1)!.at).toBe(1_000 + JOURNAL_LIMITS.sends * 3 - 1)
  expect(journal[0]!.at).toBe(1_000 + JOURNAL_LIMITS.sends * 2)
})

test('large raw txs are bounded by bytes before the count bound', () => {
  let journal: RawL2Send[] = []
  for (let i = 0; i < 10; i++) journal = boundedJournal(journal, sendOf(100_000, 1_000 + i))
  expect(journal.reduce((sum, s) => sum + size(s.raw), 0)).toBeLessThanOrEqual(JOURNAL_LIMITS.bytes)
  expect(journal.map((s) => s.at)).toEqual([1_008, 1_009])
})

test('expired sends and a re-sent hash are not kept twice', () => {
  const old = sendOf(100, 0)
  const recent = sendOf(100, 10 * 60_000)
  const journal = boundedJournal([old, recent], { ...recent, at: 10 * 60_000 + 1 })
  expect(journal).toEqual([{ ...recent, at: 10 * 60_000 + 1 }])
})
