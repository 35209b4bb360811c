/**
 * The wallet challenges outputs of its own chain that its Worker's derivation does not reproduce
 * (rollup/output-watch.ts: someone posted a forged batch through the escape hatch). rollup-lite's
 * `challengeMismatch` reads the output's challenge state first (a restarted wallet, or another verifier,
 * never pays a second bond) and builds the call; sending it is one user op through the one pipeline: the
 * bond leaves the smart account like any value (policy reservation, journal, submit, settle), and the
 * challenge shows in activity. Runs from the keep-alive alarm; a locked wallet signs nothing and waits.
 */

import type { Action } from '@seed/aa'
import type { BridgeCall } from '@seed/contracts'
import { challengeMismatch, readPostedBatch } from '@seed/rollup-lite'
import { type Address, formatEther, type Hex } from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { send } from '../../core/messenger.ts'
import { type OutputChallengeJournal, stored } from '../../core/storage.ts'
import type { OutputMismatch } from '../../rollup/worker-api.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import { recordActivity } from '../actions/activity.ts'
import { actions, reserve } from '../actions/policy.ts'
import { finishStoredUserOp, runStoredUserOp } from '../actions/stored-user-op.ts'
import { ensureOffscreen } from './rollup.ts'

/** Challenges every open mismatch the Worker reported (and finishes a challenge op left in flight). */
export async function challengeOwnOutputs(): Promise<void> {
  if (!(await stored.unlocked.get())) return
  const info = await accountService.info()
  if (!info) return
  await ensureOffscreen()
  const { watching: inbox, mismatches } = await send('rollup:outputs', undefined)
  if (!inbox) return
  const journaled = await stored.outputChallenge.get()
  if (journaled)
    await finishStoredUserOp(stored.outputChallenge, journaled, challengeAction(info.smartAccount, journaled))
  else {
    // Nothing in flight: a reservation left by a worker that died before journaling is given back.
    for (const id of await actions.reservations()) if (id.startsWith('challenge:')) await actions.release(id)
  }
  for (const mismatch of mismatches) await challengeOne(info.smartAccount, inbox, mismatch)
}

async function challengeOne(account: Address, inbox: Address, m: OutputMismatch) {
  const l1 = await l1Client()
  const batch = await readPostedBatch(l1, inbox, BigInt(m.index))
  // Rolled back (and maybe re-posted) since the Worker read it: nothing of it is left to challenge.
  if (!batch || batch.outputRoot !== m.outputRoot) return
  const verdict = await challengeMismatch(l1, {
    inbox,
    mismatch: { batch, derived: m.derived, reason: m.reason },
    send: (call) => sendChallenge(account, m, call),
  })
  if (verdict?.verdict !== 'challenged') return // already challenged (by us before, or someone), or too late
  await recordActivity({
    kind: 'userOp',
    origin: 'Seed',
    chainId: (await getDevnetConfig()).l1.chainId,
    summary: `Challenged output #${m.index} of the agent's rollup (${formatEther(verdict.bond)} ETH bond): ${m.reason}`,
    hash: verdict.txHash,
    status: 'success',
  })
}

type Journal = OutputChallengeJournal

const challengeAction = (account: Address, j: Journal): Action => ({
  requestedBy: 'Seed',
  account,
  calls: [{ ...j.call, value: BigInt(j.call.value) }],
  note: `challenge output #${j.index}`,
})

/** One challenge op: reserved under the policy, journaled before it is sent; resolves with its L1 tx hash. */
async function sendChallenge(account: Address, m: OutputMismatch, call: BridgeCall): Promise<Hex> {
  const journal: Journal = {
    reservation: `challenge:${crypto.randomUUID()}`,
    index: m.index,
    outputRoot: m.outputRoot,
    call: { to: call.to, data: call.data, value: call.value.toString() },
  }
  await reserve(journal.reservation, challengeAction(account, journal))
  return runStoredUserOp(stored.outputChallenge, journal, challengeAction(account, journal))
}
