/**
 * The bounty payer's own L1 sends (feedback per settlement, a verify window's validation request, decision
 * 0802): reserved under the wallet's
 * policy, journaled before they are sent and finished by a restarted worker, as the output challenge does
 * (decision 0413): the one user-op flow of the action pipeline.
 */
import type { Action } from '@seed/aa'
import type { Address, Hex } from 'viem'
import { type BountyOpJournal, stored } from '../../core/storage.ts'
import { reserve } from '../actions/policy.ts'
import { finishStoredUserOp, runStoredUserOp } from '../actions/stored-user-op.ts'

export const BOUNTIES_ORIGIN = 'Seed · Bounties'

const opAction = (account: Address, j: BountyOpJournal): Action => ({
  requestedBy: BOUNTIES_ORIGIN,
  account,
  calls: j.calls.map((c) => ({ ...c, value: 0n })),
  note: 'bounty payer op (feedback, validation request)',
})

/** One op: reserved, journaled, sent; resolves with its L1 transaction hash. */
export async function sendBountyOp(account: Address, call: { to: Address; data: Hex }): Promise<Hex> {
  const journal: BountyOpJournal = { reservation: `bounty-op:${crypto.randomUUID()}`, calls: [call] }
  await reserve(journal.reservation, opAction(account, journal))
  await stored.bountyOp.set(journal)
  return runStoredUserOp(stored.bountyOp, journal, opAction(account, journal))
}

/** An op a previous worker journaled: re-sent if it was signed (it lands once), given back otherwise. */
export async function finishBountyOp(account: Address) {
  const journal = await stored.bountyOp.get()
  if (!journal) return
  await finishStoredUserOp(stored.bountyOp, journal, opAction(account, journal)).catch((error) =>
    console.warn('bounty op:', (error as Error).message),
  )
}
