/**
 * The running total of each bounty slot's epoch vouchers (decision 0802), journaled the way a channel
 * voucher must be (0508): the next total is reserved against the policy and written BEFORE its signature
 * leaves the wallet, and marked delivered once the operator took it. A worker that dies in between finds
 * the total journaled but not delivered and signs that same total again (a cumulative voucher for the same
 * amount pays nothing twice), never a lower one, never one more price on top.
 */
import { BountyError } from '@seed/contracts'
import type { VoucherJournalEntry } from '../../core/records.ts'

export type { VoucherJournalEntry }
export type VoucherJournalStore = {
  get(): Promise<Record<string, VoucherJournalEntry>>
  set(entries: Record<string, VoucherJournalEntry>): Promise<void>
}
export type Lock = <T>(fn: () => Promise<T>) => Promise<T>

/** What to sign next: `again` when it is a journaled total whose delivery was never confirmed. */
export type NextVoucher = { cumulative: bigint; reservation: string; again: boolean }

export const slotKey = (bountyId: bigint, agentId: bigint) => `${bountyId}:${agentId}`

const max = (a: bigint, b: bigint) => (a > b ? a : b)

export function voucherJournal(store: VoucherJournalStore, lock: Lock) {
  return {
    /**
     * The total the slot's next voucher signs, journaled. `claimed`: the slot's total claimed on L1 (a floor,
     * should the journal be younger than the slot). `reserve` runs before the journal is written: a policy
     * refusal leaves nothing journaled.
     */
    next(
      slot: string,
      p: { price: bigint; allotment: bigint; claimed: bigint; reserve: (reservation: string) => Promise<unknown> },
    ): Promise<NextVoucher> {
      return lock(async () => {
        const entries = await store.get()
        const entry = entries[slot]
        const signed = BigInt(entry?.signed ?? 0)
        const delivered = BigInt(entry?.delivered ?? 0)
        if (entry?.reservation && signed > delivered) {
          return { cumulative: signed, reservation: entry.reservation, again: true }
        }
        const cumulative = max(signed, p.claimed) + p.price
        if (cumulative > p.allotment) throw new BountyError('the slot allotment is spent')
        const reservation = `bounty:${slot}:${cumulative}`
        await p.reserve(reservation)
        await store.set({
          ...entries,
          [slot]: { signed: String(cumulative), delivered: String(delivered), reservation },
        })
        return { cumulative, reservation, again: false }
      })
    },
    /** The operator took the voucher for `cumulative`. */
    delivered(slot: string, cumulative: bigint): Promise<void> {
      return lock(async () => {
        const entries = await store.get()
        const entry = entries[slot] ?? { signed: '0', delivered: '0' }
        const delivered = max(BigInt(entry.delivered), cumulative)
        await store.set({
          ...entries,
          [slot]: { ...entry, signed: String(max(BigInt(entry.signed), delivered)), delivered: String(delivered) },
        })
      })
    },
    /** A total journaled whose delivery was never confirmed: `next` hands it out again. */
    async undelivered(slot: string): Promise<boolean> {
      const entry = (await store.get())[slot]
      return !!entry?.reservation && BigInt(entry.signed) > BigInt(entry.delivered)
    },
    /** What the slot was paid (acknowledged) so far. */
    async paid(slot: string): Promise<bigint> {
      return BigInt((await store.get())[slot]?.delivered ?? 0)
    },
  }
}
