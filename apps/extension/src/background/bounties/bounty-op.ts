/**
 * The bounty payer's own L1 sends (feedback per settlement, decision 0802): reserved under the wallet's
 * policy, journaled before they are sent and finished by a restarted worker, as the output challenge does
 * (decision 0413): the one user-op flow of the action pipeline.
 */
import { type Action, UserOperationRevertedError } from '@seed/aa'
import type { Address, Hex } from 'viem'
import { type BountyOpJournal, stored } from '../../core/storage.ts'
import { actions, reserve } from '../actions/policy.ts'
import { runUserOpAction } from '../actions/user-op-action.ts'

export const BOUNTIES_ORIGIN = 'Seed · Bounties'

const opAction = (account: Address, j: BountyOpJournal): Action => ({
  requestedBy: BOUNTIES_ORIGIN,
  account,
  calls: j.calls.map((c) => ({ ...c, value: 0n })),
  note: 'bounty feedback',
})

/** One op: reserved, journaled, sent; resolves with its L1 transaction hash. */
export async function sendBountyOp(account: Address, call: { to: Address; data: Hex }): Promise<Hex> {
  const journal: BountyOpJournal = { reservation: `bounty-op:${crypto.randomUUID()}`, calls: [call] }
  await reserve(journal.reservation, opAction(account, journal))
  await stored.bountyOp.set(journal)
  return runJournaled(account, journal)
}

/** An op a previous worker journaled: re-sent if it was signed (it lands once), given back otherwise. */
export async function finishBountyOp(account: Address) {
  const journal = await stored.bountyOp.get()
  if (!journal) return
  if (!journal.step) {
    await actions.release(journal.reservation)
    await stored.bountyOp.remove()
    return
  }
  await runJournaled(account, journal).catch((error) => console.warn('bounty op:', (error as Error).message))
}

async function runJournaled(account: Address, journal: BountyOpJournal): Promise<Hex> {
  const action = opAction(account, journal)
  let submitted = journal.step?.submitted === true
  try {
    const sent = await runUserOpAction({
      reservation: journal.reservation,
      action,
      calls: action.calls,
      step: journal.step,
      journal: async (step) => {
        submitted = step.submitted
        await stored.bountyOp.set({ ...journal, step })
      },
    })
    await stored.bountyOp.remove()
    return sent.transactionHash
  } catch (error) {
    if (error instanceof UserOperationRevertedError) {
      await actions.settle(journal.reservation) // it ran and paid its fee
      await stored.bountyOp.remove()
    } else if (!submitted) {
      await actions.release(journal.reservation)
      await stored.bountyOp.remove()
    }
    throw error
  }
}
