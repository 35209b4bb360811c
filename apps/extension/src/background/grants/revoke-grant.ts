/**
 * Revocation ends the grant's session on-chain (SeedAccount.revokeSessionKey: the key's next op
 * fails validation, the allowances it approved go back to zero, decision 0206), through the one
 * action pipeline as an owner-signed admin op. Asked by the popup's permissions list or by the
 * origin that holds the grant (wallet_revokeExecutionPermission). The op in flight is journaled on
 * the grant, so a retry re-sends it instead of signing another.
 */
import { revokeSessionKeyCall } from '@seed/aa'
import type { Hex } from 'viem'
import type { GrantRecord } from '../../core/records.ts'
import { recordActivity } from '../actions/activity.ts'
import { adminActions, reserveAdmin } from '../actions/policy.ts'
import { runUserOpAction, type UserOpStep } from '../actions/user-op-action.ts'
import { getGrant, listGrants, putGrant, unknownGrant } from './grants.ts'

/** Revokes `context` (only `origin`'s own grant when an origin asks); resolves once the op landed. */
export async function revokeGrant(context: Hex, { origin }: { origin?: string } = {}): Promise<GrantRecord> {
  const grant = await getGrant(context)
  if (!grant || (origin !== undefined && grant.origin !== origin)) throw unknownGrant()
  if (grant.status === 'revoked') return grant
  const calls = [revokeSessionKeyCall(grant.account, grant.sessionKey)]
  const action = { requestedBy: origin ?? 'Seed', account: grant.account, calls, note: 'revoke ERC-7715 grant' }
  const reservation = grant.revocation?.reservation ?? `grant-revoke:${crypto.randomUUID()}`
  let current: GrantRecord = { ...grant, revocation: { reservation, step: grant.revocation?.step } }
  const journal = async (step: UserOpStep) => {
    current = { ...current, revocation: { reservation, step } }
    await putGrant(current)
  }
  if (!grant.revocation) {
    await reserveAdmin(reservation, action)
    await putGrant(current)
  }
  try {
    const sent = await runUserOpAction({
      reservation,
      action,
      calls,
      step: current.revocation?.step,
      journal,
      reserveWith: reserveAdmin,
    })
    const { revocation: _, ...rest } = current
    const revoked: GrantRecord = { ...rest, status: 'revoked' }
    await putGrant(revoked)
    await recordActivity({
      kind: 'userOp',
      origin: grant.origin,
      chainId: grant.chainId,
      summary: 'Revoked an execution permission (ERC-7715)',
      hash: sent.transactionHash,
      userOpHash: sent.userOpHash,
      status: 'success',
    })
    return revoked
  } catch (error) {
    // An op that never went out is forgotten (a retry signs a new one); one that did is re-sent by a retry.
    if (!current.revocation?.step?.submitted) {
      await adminActions.release(reservation)
      const { revocation: _, ...rest } = current
      await putGrant(rest)
    }
    throw error
  }
}

/**
 * A disconnected site keeps no execution permission: each of its live grants is revoked on-chain
 * (one owner op each, through the pipeline). Local use already ended with the connection (0208).
 */
export async function revokeGrantsOf(origin: string) {
  for (const grant of await listGrants(origin)) {
    if (grant.status === 'revoked') continue
    // The disconnect itself stands (the grant is unusable without the connection); a revocation that
    // could not be sent (a locked wallet, L1 down) is said in Activity and stays in the permissions list.
    await revokeGrant(grant.context).catch((error: Error) =>
      recordActivity({
        kind: 'userOp',
        origin,
        chainId: grant.chainId,
        summary: `Could not revoke an execution permission on-chain (revoke it under Sites): ${error.message}`,
        status: 'failed',
      }),
    )
  }
}
