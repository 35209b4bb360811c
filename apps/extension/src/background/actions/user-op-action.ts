/**
 * The one journaled user-op flow (decision 0413) every caller shares — dApp sends and batches,
 * start batching, the batcher top-up: sign → re-check the reservation now that the bundler's gas
 * and fees are known (caps, and the maximum fee against the ETH budget) → journal → submit → wait →
 * settle at the fee really paid. A re-run with the journaled step re-sends the same signed op (its
 * nonce lets it land once) instead of signing another. Releasing on failure is the caller's (it
 * knows whether the op can still land).
 */
import type { Action } from '@seed/aa'
import type { Hex } from 'viem'
import type { Call } from '../../core/services.ts'
import type { UserOpStep } from '../../core/storage.ts'
import {
  type SignedUserOp,
  signUserOperation,
  submitUserOperation,
  userOpFee,
  waitForUserOperation,
} from '../account/seed-account.ts'
import { actions, reserve } from './policy.ts'

export type { UserOpStep }

/** Who signs: the owner (default) or a grant's session key (decision 0208). */
export type UserOpSigner = (calls: readonly Call[]) => Promise<SignedUserOp>
/** How the signed op's fee is re-checked: the wallet's policy (default), or its admin flows' (grants). */
export type Reserve = (id: string, action: Action) => Promise<unknown>

/** Signs and journals the op, unless the journal already has one; refuses it if its fee breaks the policy. */
export async function signUserOpAction({
  reservation,
  action,
  calls,
  journal,
  bundleId,
  touch = true,
  sign = (c) => signUserOperation(c, { touch }),
  reserveWith = reserve,
}: {
  reservation: string
  action: Action
  calls: readonly Call[]
  journal: (step: UserOpStep) => Promise<void>
  bundleId?: Hex
  touch?: boolean
  sign?: UserOpSigner
  reserveWith?: Reserve
}): Promise<UserOpStep> {
  const signed = await sign(calls)
  await reserveWith(reservation, { ...action, fee: userOpFee(signed.userOp) })
  const step: UserOpStep = { kind: 'userOp', ...signed, submitted: false, ...(bundleId ? { bundleId } : {}) }
  await journal(step)
  return step
}

/** Submits the journaled op (again, after a restart) and waits for it; settles its reservation once it lands. */
export async function finishUserOpAction({
  reservation,
  action,
  step,
  journal,
  timeout,
}: {
  reservation: string
  action: Action
  step: UserOpStep
  journal: (step: UserOpStep) => Promise<void>
  timeout?: number
}) {
  try {
    await submitUserOperation(step)
  } catch (error) {
    // A re-send of an op the bundler already has or already included fails; its receipt still comes.
    if (!step.submitted) throw error
  }
  if (!step.submitted) await journal({ ...step, submitted: true })
  const sent = await waitForUserOperation(step.userOpHash, timeout)
  await actions.settle(reservation, { ...action, feePaid: sent.actualGasCost })
  return { ...sent, bundleId: step.bundleId }
}

/** Both halves: the flow of a caller with nothing special to do between signing and sending. */
export async function runUserOpAction(parameters: {
  reservation: string
  action: Action
  calls: readonly Call[]
  step?: UserOpStep
  journal: (step: UserOpStep) => Promise<void>
  bundleId?: Hex
  sign?: UserOpSigner
  reserveWith?: Reserve
}) {
  const step = parameters.step ?? (await signUserOpAction(parameters))
  return finishUserOpAction({ ...parameters, step })
}
