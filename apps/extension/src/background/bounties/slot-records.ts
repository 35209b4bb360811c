/**
 * The bounty payer's durable state (decision 0802): the slot records under one lock shared by every extension
 * context, and the slots' voucher journal (voucher-journal.ts) under its own.
 */
import type { BountySlotRecord } from '../../core/records.ts'
import { stored } from '../../core/storage.ts'
import { voucherJournal } from './voucher-journal.ts'

/** One lock name for every extension context: the journal's read-modify-write, and the bounty records'. */
const webLock =
  (name: string) =>
  <T>(fn: () => Promise<T>) =>
    navigator.locks.request(name, fn) as Promise<T>
export const journal = voucherJournal(stored.bountyVouchers, webLock('seed.bounty-vouchers'))
const recordsLock = webLock('seed.bounties')

export async function saveSlots(bountyId: string, slots: Record<string, BountySlotRecord>) {
  await recordsLock(async () => {
    const all = await stored.bounties.get()
    const bounty = all[bountyId]
    if (!bounty) return
    // Fields the payer wrote since `slots` was read (another tick) stay: only new slots and endpoints come in.
    const merged = Object.fromEntries(
      Object.entries(slots).map(([id, s]) => [id, { ...s, ...bounty.slots[id], ...pickEndpoints(s) }]),
    )
    await stored.bounties.set({ ...all, [bountyId]: { ...bounty, slots: merged } })
  })
}

const pickEndpoints = (s: BountySlotRecord) => ({
  ...(s.operatorUrl ? { operatorUrl: s.operatorUrl } : {}),
  ...(s.rpcUrl ? { rpcUrl: s.rpcUrl } : {}),
})

export type SlotUpdate = (change: (slot: BountySlotRecord) => BountySlotRecord) => Promise<BountySlotRecord>

/** Changes one slot's record (read-modify-write under the lock); answers the record as written. */
export function updateSlot(bountyId: string, agentId: string): SlotUpdate {
  return (change) =>
    recordsLock(async () => {
      const all = await stored.bounties.get()
      const bounty = all[bountyId]
      const slot = bounty?.slots[agentId]
      if (!bounty || !slot) throw new Error(`bounty ${bountyId} has no slot ${agentId}`)
      const next = change(slot)
      await stored.bounties.set({ ...all, [bountyId]: { ...bounty, slots: { ...bounty.slots, [agentId]: next } } })
      return next
    })
}
