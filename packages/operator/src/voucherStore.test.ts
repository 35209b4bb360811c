/** The operator's vouchers are its pay: they outlive the process that accepted them. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { fileVoucherStore } from './voucherStore.ts'

test('the best voucher per slot is read back by a new store on the same file', () => {
  const path = join(mkdtempSync(join(process.env.SEED_TEST_TMP ?? tmpdir(), 'vouchers-')), 'vouchers.json')
  const first = fileVoucherStore(path)
  first.put({ bountyId: 1n, agentId: 2n, cumulativeAmount: 3_000n, signature: '0xaa' })
  first.put({ bountyId: 1n, agentId: 5n, cumulativeAmount: 1_000n, signature: '0xbb' })
  const reopened = fileVoucherStore(path)
  expect(reopened.latest(1n, 2n)).toEqual({ bountyId: 1n, agentId: 2n, cumulativeAmount: 3_000n, signature: '0xaa' })
  expect(reopened.latest(1n, 5n)?.cumulativeAmount).toBe(1_000n)
  expect(reopened.latest(2n, 2n)).toBeUndefined()
})
