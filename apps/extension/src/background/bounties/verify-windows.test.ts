import type { Bounty } from '@seed/contracts'
import { describe, expect, test } from 'vitest'
import type { BountySlotRecord } from '../../core/records.ts'
import { awaitingResponse, closeWindow } from './verify-windows.ts'

const slot = (window?: { fromBatch: string; toBatch: string; requestedAt?: number }): BountySlotRecord => ({
  agentId: '7',
  operator: '0x00000000000000000000000000000000000000a1',
  payee: '0x00000000000000000000000000000000000000b2',
  probes: 0,
  passed: 0,
  reviewed: {},
  verify: { nextBatch: '5', ...(window && { window }) },
})
const bounty = { epochLength: 30n } as Bounty

describe('a verify slot’s windows', () => {
  test('a judged window moves the next one past it; another window’s voucher leaves it open', () => {
    const open = slot({ fromBatch: '5', toBatch: '8', requestedAt: 1 })
    expect(closeWindow(open, { fromBatch: 5n, toBatch: 8n }).verify).toEqual({ nextBatch: '9' })
    // A re-signed voucher that paid an earlier window does not close this one.
    expect(closeWindow(open, { fromBatch: 2n, toBatch: 4n })).toBe(open)
  })

  test('a missing response is awaited for one epoch after the request, then it is a miss', () => {
    const asked = slot({ fromBatch: '5', toBatch: '8', requestedAt: 1_000_000 })
    expect(awaitingResponse(asked, bounty, 1_000_000 + 29_000)).toBe(true)
    expect(awaitingResponse(asked, bounty, 1_000_000 + 30_000)).toBe(false)
    expect(awaitingResponse(slot({ fromBatch: '5', toBatch: '8' }), bounty, 1_000_000)).toBe(false) // not asked yet
  })
})
