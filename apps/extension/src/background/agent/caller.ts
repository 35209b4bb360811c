/**
 * Who is asking, as the wallet names them in Activity and the approval window (`agent:<pairing
 * name>`, `script:<name or id>`), and what they may do without asking: a paired agent's grant, read
 * afresh on every call, so a revoked or expired pairing is refused at its very next call.
 */

import type { Caller } from '@seed/agent/api'
import type { Hex } from 'viem'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import { type PairingGrant, stored } from '../../core/storage.ts'
import { resumePairingKey } from './pairing-key.ts'

export type ResolvedCaller = {
  /** What Activity and approvals show: `agent:<name>` or `script:<name>`. */
  origin: string
  /** The grant's ledger key, for a paired agent. */
  grantId?: string
  grant?: PairingGrant
  grantStart?: number
  /** The pairing's live on-chain session (decision 0605): its key signs the agent's L1 sends within the grant. */
  sessionContext?: Hex
}

export class CallerRefusedError extends ProviderRpcError {
  override name = 'CallerRefusedError'
  constructor(message: string, reason: string) {
    super(ErrorCode.unauthorized, message, { reasons: [{ code: reason, message }] })
  }
}

export async function resolveCaller(caller: Caller, now = Date.now()): Promise<ResolvedCaller> {
  if (caller.kind === 'script') return { origin: `script:${caller.name ?? caller.scriptId}` }
  const pairing = (await stored.pairings.get())[caller.pairingId]
  if (!pairing) throw new CallerRefusedError('Unknown pairing: pair this agent in the Seed popup first.', 'unpaired')
  if (pairing.revokedAt) throw new CallerRefusedError(`The pairing "${pairing.name}" was revoked.`, 'revoked')
  if (pairing.grant.expiresAt <= now) {
    throw new CallerRefusedError(`The pairing "${pairing.name}" expired; pair again.`, 'expired')
  }
  // A key install that did not finish (cut off, or failed) is tried again beside this call (decision 0605).
  const session = pairing.session
  if (!session || session.status === 'installing' || (session.status === 'none' && session.retry)) {
    void resumePairingKey(pairing.id).catch((error) => console.warn(`pairing ${pairing.id}: key install`, error))
  }
  return {
    origin: `agent:${pairing.name}`,
    grantId: pairing.id,
    grant: pairing.grant,
    grantStart: pairing.createdAt,
    ...(pairing.session?.status === 'active' ? { sessionContext: pairing.session.context } : {}),
  }
}
