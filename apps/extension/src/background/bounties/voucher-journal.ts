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

/**
 * What to sign next: `again` when it is a journaled total whose delivery was never confirmed; `units` the
 * epochs, windows or batches that total adds (the journaled ones when `again`).
 */
export type NextVoucher = { cumulative: bigint; units: bigint; reservation: string; again: boolean; paying?: string }

export const slotKey = (bountyId: bigint, agentId: bigint) => `${bountyId}:${agentId}`

const max = (a: bigint, b: bigint) => (a > b ? a : b)

export function voucherJournal(store: VoucherJournalStore, lock: Lock) {
  return {
    /**
     * The total the slot's next voucher signs, journaled: the last total plus `units` prices (default 1).
     * `claimed`: the slot's total claimed on L1 (a floor, should the journal be younger than the slot).
     * `reserve` runs before the journal is written, for the amount the new total adds: a policy refusal leaves
     * nothing journaled. A journaled total never delivered is answered again whatever `units` says (it was
     * reserved already); otherwise `units` 0 is nothing to pay: undefined, nothing reserved. The allotment
     * caps the units. `paying` names what the total pays for (a verify window): a total delivered for the same
     * name is not added again (undefined: already paid), so a worker that died after the delivery, before it
     * moved on, does not pay that window twice.
     */
    next(
      slot: string,
      p: {
        price: bigint
        units?: bigint
        allotment: bigint
        claimed: bigint
        paying?: string
        reserve: (reservation: string, amount: bigint) => Promise<unknown>
      },
    ): Promise<NextVoucher | undefined> {
      return lock(async () => {
        const entries = await store.get()
        const entry = entries[slot]
        const signed = BigInt(entry?.signed ?? 0)
        const delivered = BigInt(entry?.delivered ?? 0)
        if (entry?.reservation && signed > delivered) {
          const units = BigInt(entry.units ?? 1)
          const again = { cumulative: signed, units, reservation: entry.reservation, again: true }
          return entry.paying ? { ...again, paying: entry.paying } : again
        }
        if (p.paying && entry?.paying === p.paying) return undefined
        if ((p.units ?? 1n) < 1n) return undefined
        const base = max(signed, p.claimed)
        const left = p.allotment > base ? (p.allotment - base) / p.price : 0n
        const units = (p.units ?? 1n) < left ? (p.units ?? 1n) : left
        if (units < 1n) throw new BountyError('the slot allotment is spent')
        const amount = p.price * units
        const cumulative = base + amount
        const reservation = `bounty:${slot}:${cumulative}`
        await p.reserve(reservation, amount)
        const journaled = {
          signed: String(cumulative),
          delivered: String(delivered),
          reservation,
          units: String(units),
        }
        await store.set({ ...entries, [slot]: p.paying ? { ...journaled, paying: p.paying } : journaled })
        const next = { cumulative, units, reservation, again: false }
        return p.paying ? { ...next, paying: p.paying } : next
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
    /**
     * The reservation of a total the operator took: settled right after the delivery, unless the worker died in
     * between (settling again is harmless, a settled entry stays settled).
     */
    async deliveredReservation(slot: string): Promise<string | undefined> {
      const entry = (await store.get())[slot]
      return entry?.reservation && entry.signed === entry.delivered ? entry.reservation : undefined
    },
    /** A total journaled whose delivery was never confirmed: `next` hands it out again. */
    async undelivered(slot: string): Promise<boolean> {
      const entry = (await store.get())[slot]
      return !!entry?.reservation && BigInt(entry.signed) > BigInt(entry.delivered)
    },
    /**
     * The total this slot's vouchers reach (journaled, or claimed on L1 if higher): what a pinner's batches
     * already paid for are counted from (total / price).
     */
    async total(slot: string, claimed: bigint): Promise<bigint> {
      return max(BigInt((await store.get())[slot]?.signed ?? 0), claimed)
    },
  }
}
