/**
 * A user op the wallet sends on its own behalf from the background (an output challenge, a bounty's feedback):
 * no approval window, one storage item holding its journal. The op runs through the one journaled flow
 * (user-op-action.ts); how it ends decides what the item and the reservation become, so a restarted worker
 * finishes it (`finishStoredUserOp`) instead of signing another.
 */
import { type Action, UserOperationRevertedError } from '@seed/aa'
import type { Hex } from 'viem'
import type { UserOpStep } from '../../core/storage.ts'
import { actions } from './policy.ts'
import { runUserOpAction } from './user-op-action.ts'

export type StoredOpJournal = { reservation: string; step?: UserOpStep }
export type StoredOpItem<J extends StoredOpJournal> = { set(journal: J): Promise<void>; remove(): Promise<void> }

/** Runs (or re-sends, from its signed step) the journaled op; resolves with its L1 transaction hash. */
export async function runStoredUserOp<J extends StoredOpJournal>(
  item: StoredOpItem<J>,
  journal: J,
  action: Action,
): Promise<Hex> {
  let submitted = journal.step?.submitted === true
  try {
    const sent = await runUserOpAction({
      reservation: journal.reservation,
      action,
      calls: action.calls,
      step: journal.step,
      journal: async (step) => {
        submitted = step.submitted
        await item.set({ ...journal, step })
      },
    })
    await item.remove()
    return sent.transactionHash
  } catch (error) {
    if (error instanceof UserOperationRevertedError) {
      // It ran and paid its fee (e.g. someone challenged first): counted, and over.
      await actions.settle(journal.reservation)
      await item.remove()
    } else if (!submitted) {
      // It can no longer land: the reservation is given back.
      await actions.release(journal.reservation)
      await item.remove()
    }
    throw error
  }
}

/** An op a previous worker journaled: re-sent if it was signed (it lands once), given back if it never was. */
export async function finishStoredUserOp<J extends StoredOpJournal>(
  item: StoredOpItem<J>,
  journal: J,
  action: Action,
): Promise<void> {
  if (!journal.step) {
    await actions.release(journal.reservation)
    await item.remove()
    return
  }
  await runStoredUserOp(item, journal, action)
}
