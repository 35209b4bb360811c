import { describe, expect, test } from 'vitest'
import { type VoucherJournalEntry, type VoucherJournalStore, voucherJournal } from './voucher-journal.ts'

/** A store that survives the "worker" (a fresh journal over the same entries is a restarted worker). */
function durable(): VoucherJournalStore & { entries: Record<string, VoucherJournalEntry> } {
  const box = {
    entries: {} as Record<string, VoucherJournalEntry>,
    get: async () => structuredClone(box.entries),
    set: async (entries: Record<string, VoucherJournalEntry>) => {
      box.entries = structuredClone(entries)
    },
  }
  return box
}
let queue = Promise.resolve()
const lock = <T>(fn: () => Promise<T>) => {
  const run = queue.then(fn)
  queue = run.then(
    () => {},
    () => {},
  )
  return run
}
const terms = { price: 10n, allotment: 100n, claimed: 0n }
const reserveOk = async () => {}

describe('a bounty slot’s journaled cumulative voucher', () => {
  test('the total is journaled before it is handed out, and each delivered epoch adds one price', async () => {
    const store = durable()
    const journal = voucherJournal(store, lock)
    const first = await journal.next('1:2', { ...terms, reserve: reserveOk })
    expect(first).toMatchObject({ cumulative: 10n, again: false })
    expect(store.entries['1:2']?.signed).toBe('10') // durable before any signature
    await journal.delivered('1:2', 10n)
    expect((await journal.next('1:2', { ...terms, reserve: reserveOk }))?.cumulative).toBe(20n)
  })

  test('a worker that died after journaling signs the same total again: never double, never lower', async () => {
    const store = durable()
    expect(await voucherJournal(store, lock).undelivered('1:2')).toBe(false)
    const before = await voucherJournal(store, lock).next('1:2', { ...terms, reserve: reserveOk })
    // The worker dies here (signed, maybe sent, delivery not confirmed); a new one starts over the same storage,
    // and owes that total at once (the payer does not wait for the slot's next epoch).
    expect(await voucherJournal(store, lock).undelivered('1:2')).toBe(true)
    let reservedAgain = false
    const reserve = async () => {
      reservedAgain = true
    }
    const after = await voucherJournal(store, lock).next('1:2', { ...terms, reserve })
    expect(after).toEqual({ ...before!, again: true })
    expect(reservedAgain).toBe(false) // the same total spends nothing more: no second reservation
    expect(await voucherJournal(store, lock).deliveredReservation('1:2')).toBeUndefined() // not taken yet
    await voucherJournal(store, lock).delivered('1:2', after!.cumulative)
    expect(await voucherJournal(store, lock).undelivered('1:2')).toBe(false)
    // The worker dies again before it settled: the next one finds the taken total's reservation to settle.
    expect(await voucherJournal(store, lock).deliveredReservation('1:2')).toBe(before!.reservation)
  })

  test('concurrent payers of one slot never both add a price on the same total', async () => {
    const journal = voucherJournal(durable(), lock)
    const [a, b] = await Promise.all([
      journal.next('1:2', { ...terms, reserve: reserveOk }),
      journal.next('1:2', { ...terms, reserve: reserveOk }),
    ])
    expect([a?.cumulative, b?.cumulative]).toEqual([10n, 10n])
    expect([a?.again, b?.again]).toEqual([false, true])
  })

  test('a policy refusal journals nothing; the allotment caps the total; the chain’s claimed total is a floor', async () => {
    const store = durable()
    const journal = voucherJournal(store, lock)
    const refuse = async () => {
      throw new Error('Blocked by the wallet’s policy')
    }
    await expect(journal.next('1:2', { ...terms, reserve: refuse })).rejects.toThrow('policy')
    expect(store.entries['1:2']).toBeUndefined()
    expect((await journal.next('1:2', { ...terms, claimed: 40n, reserve: reserveOk }))?.cumulative).toBe(50n)
    await journal.delivered('1:2', 50n)
    await expect(journal.next('1:2', { ...terms, claimed: 95n, reserve: reserveOk })).rejects.toThrow('allotment')
  })

  test('a pin slot pays its new batches: the reservation and the total are price × units, units 0 pays nothing', async () => {
    const store = durable()
    const journal = voucherJournal(store, lock)
    const reserved: [string, bigint][] = []
    const reserve = async (reservation: string, amount: bigint) => {
      reserved.push([reservation, amount])
    }
    expect(await journal.next('1:2', { ...terms, units: 0n, reserve })).toBeUndefined()
    expect(reserved).toEqual([])
    expect(store.entries['1:2']).toBeUndefined()
    const three = await journal.next('1:2', { ...terms, units: 3n, reserve })
    expect(three).toMatchObject({ cumulative: 30n, units: 3n, again: false })
    expect(reserved).toEqual([[three!.reservation, 30n]])
    expect(await journal.total('1:2', 0n)).toBe(30n) // 3 batches paid: the next probe counts from there
    await journal.delivered('1:2', 30n)
    expect(await journal.next('1:2', { ...terms, units: 0n, reserve })).toBeUndefined()
    expect(await journal.next('1:2', { ...terms, units: 2n, reserve })).toMatchObject({ cumulative: 50n, units: 2n })
    expect(reserved.map(([, amount]) => amount)).toEqual([30n, 20n])
    await expect(journal.next('1:2', { ...terms, units: 6n, reserve })).resolves.toMatchObject({ again: true })
  })

  test('a worker that died after journaling several units signs that same total again, whatever the next probe counts', async () => {
    const store = durable()
    let reservations = 0
    const reserve = async () => {
      reservations++
    }
    const before = await voucherJournal(store, lock).next('1:2', { ...terms, units: 4n, reserve })
    // Restarted: the new probe counts more batches, or none (units from total / price is 0): the journaled 4 stand.
    const journal = voucherJournal(store, lock)
    for (const units of [7n, 0n]) {
      expect(await journal.next('1:2', { ...terms, units, reserve })).toEqual({ ...before!, again: true })
    }
    expect(reservations).toBe(1) // never a second reservation for the same total
    expect(await journal.total('1:2', 0n)).toBe(40n) // never lower
    await journal.delivered('1:2', 40n)
    expect(await journal.next('1:2', { ...terms, units: 1n, reserve })).toMatchObject({ cumulative: 50n, again: false })
    expect(reservations).toBe(2)
  })

  test('a verify window is paid once, even by a worker that died after the delivery; units beyond the allotment are not paid', async () => {
    const store = durable()
    const journal = voucherJournal(store, lock)
    const w1 = await journal.next('1:2', { ...terms, paying: '5-7', reserve: reserveOk })
    expect(w1).toMatchObject({ cumulative: 10n, paying: '5-7', again: false })
    // Died before the delivery: the next probe (another window) re-signs the journaled one, naming it.
    expect(await voucherJournal(store, lock).next('1:2', { ...terms, paying: '8-9', reserve: reserveOk })).toEqual({
      ...w1!,
      again: true,
    })
    await journal.delivered('1:2', 10n)
    // Died after the delivery, before the window was closed: the same window again pays nothing more.
    expect(
      await voucherJournal(store, lock).next('1:2', { ...terms, paying: '5-7', reserve: reserveOk }),
    ).toBeUndefined()
    expect(await journal.next('1:2', { ...terms, paying: '8-9', reserve: reserveOk })).toMatchObject({
      cumulative: 20n,
    })
    await journal.delivered('1:2', 20n)
    // 8 units fit in what the allotment leaves (80 of 100): the 12 batches a pinner holds are paid 8.
    expect(await journal.next('1:2', { ...terms, units: 12n, reserve: reserveOk })).toMatchObject({
      cumulative: 100n,
      units: 8n,
    })
  })
})
