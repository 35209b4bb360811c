import { describe, expect, it } from 'vitest'
import type { TriggerRecord } from './store.ts'
import { firedBy, type TriggerState, topicsFor } from './triggers.ts'

const trigger = (over: Partial<TriggerRecord>): TriggerRecord => ({
  id: 't',
  scriptId: 's',
  kind: 'block',
  enabled: true,
  createdAt: 0,
  ...over,
})
const fee = (number: number, baseFeeGwei: string) => ({ topic: 'baseFee' as const, number, baseFeeGwei })

describe('event triggers', () => {
  it('asks only for the topics of enabled event triggers', () => {
    expect(
      topicsFor([
        trigger({ kind: 'baseFee' }),
        trigger({ kind: 'schedule' }),
        trigger({ kind: 'batch', enabled: false }),
        trigger({ kind: 'payment' }),
      ]),
    ).toEqual(['baseFee', 'incomingPayment'])
  })

  it('fires a base-fee trigger when the fee rises above its threshold, once per crossing', () => {
    const list = [trigger({ id: 'fee', kind: 'baseFee', aboveGwei: '5' })]
    const state: TriggerState = { above: new Set() }
    expect(firedBy(list, fee(1, '1.2'), state)).toEqual([])
    expect(firedBy(list, fee(2, '7.5'), state).map((t) => t.id)).toEqual(['fee'])
    expect(firedBy(list, fee(3, '8'), state)).toEqual([])
    expect(firedBy(list, fee(4, '4'), state)).toEqual([])
    expect(firedBy(list, fee(5, '5.01'), state).map((t) => t.id)).toEqual(['fee'])
  })

  it('fires block, payment and batch triggers on their events only', () => {
    const list = [trigger({ id: 'b', kind: 'block' }), trigger({ id: 'p', kind: 'payment' })]
    const state: TriggerState = { above: new Set() }
    expect(firedBy(list, { topic: 'l1Block', number: 1, baseFeeGwei: '1' }, state).map((t) => t.id)).toEqual(['b'])
    const payment = { topic: 'incomingPayment', chain: 'l1', asset: 'eth', amount: '1', balance: '2' } as const
    expect(firedBy(list, payment, state).map((t) => t.id)).toEqual(['p'])
    expect(firedBy(list, { topic: 'batchPosted', blobTxHash: '0x01' }, state)).toEqual([])
  })
})
