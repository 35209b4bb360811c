/**
 * An agent's send or signature, through the wallet's one action pipeline (decisions 0422-0424) as a
 * request like a dApp's, with the caller as its origin (`agent:<name>`, `script:<id>`): decode →
 * policy, with the spend reserved (the pairing's grant first, then the wallet's) → approval → journal
 * → submit → settle. Within the grant's thresholds the request is approved at once (no window); above
 * them, or for a caller without a grant, the approval window opens and says who asked.
 */

import type { ChainName } from '@seed/agent/api'
import { deserializeError, ErrorCode, ProviderRpcError, type SerializedError } from '../../core/errors.ts'
import type { PendingRequest } from '../../core/protocol.ts'
import { stored } from '../../core/storage.ts'
import { accountService } from '../account/account.ts'
import { recordRefusal } from '../actions/activity.ts'
import { execute, type StageMark } from '../actions/execute.ts'
import { actions, PolicyDeniedError, reservationOf, reserve } from '../actions/policy.ts'
import { requestAction } from '../actions/request-action.ts'
import { executeRequest } from '../actions/requests.ts'
import { requestApproval, runApproved } from '../approvals/approvals.ts'
import { l1ChainId } from '../provider/chains.ts'
import { chainDisconnected, isDown } from '../provider/connectivity.ts'
import type { ResolvedCaller } from './caller.ts'
import { grantPipeline } from './pairing-grant.ts'

export type AgentMethod = 'eth_sendTransaction' | 'wallet_sendCalls' | 'eth_signTypedData_v4'

export class GrantDeniedError extends ProviderRpcError {
  override name = 'GrantDeniedError'
  constructor(reasons: { code: string; message: string }[]) {
    super(ErrorCode.unauthorized, `Blocked by the pairing's grant: ${reasons.map((r) => r.message).join(' ')}`, {
      reasons,
    })
  }
}

export async function chainIdOf(chain: ChainName): Promise<number> {
  if (chain === 'l1') return l1ChainId()
  const rollup = (await accountService.info())?.rollup
  if (!rollup) throw new ProviderRpcError(ErrorCode.unauthorized, 'No account yet: create one in the Seed popup.')
  return rollup.chainId
}

const NO_GRANT: PendingRequest['askedBecause'] = {
  source: 'no-grant',
  reasons: [{ code: 'no-grant', message: 'This caller has no grant of its own: each send and signature is asked.' }],
}

/** Requests that moved or may still move value keep their spend; the rest give it back. */
const leftTheWallet = (r: PendingRequest | undefined) =>
  r?.execution?.kind === 'l2' || (r?.execution?.kind === 'userOp' && r.execution.submitted) || r?.status === 'done'

/**
 * Runs `method` for `caller` on `chain`; resolves with what the dApp path would answer (hash, bundle,
 * signature). `logged`: the caller writes the Activity entry itself, with what the action led to (x402: one entry
 * per payment, with its settlement), so the executor does not write one for the bare signature. `mark`: told as
 * each stage ends (`reserved`, then the executor's).
 */
export async function actFor(
  caller: ResolvedCaller,
  method: AgentMethod,
  params: unknown[],
  chain: ChainName,
  { logged = false, mark }: { logged?: boolean; mark?: StageMark } = {},
) {
  const info = await accountService.info()
  if (!info) throw new ProviderRpcError(ErrorCode.unauthorized, 'No account yet: create one in the Seed popup.')
  const chainId = await chainIdOf(chain)
  if (await isDown(chainId)) throw chainDisconnected(chainId)
  const kind = chain === 'l1' ? 'l1' : 'l2'
  const account = kind === 'l1' ? info.smartAccount : info.rollupAccount
  const request = { id: `agent-${crypto.randomUUID()}`, origin: caller.origin, method, params, chainId }

  // The grant (a paired agent's): its own budget, targets and thresholds, reserved under its ledger.
  // One action for both ledgers (for an L1 send its fee estimate is a bundler round trip).
  const action = await requestAction(request, account, kind)
  let askedBecause: PendingRequest['askedBecause'] = caller.grant ? undefined : NO_GRANT
  const grant = caller.grant && grantPipeline(caller.grantId!, caller.grant, caller.grantStart!)
  // Both ledgers at once (each under its own lock); whichever refuses, the other's reservation goes.
  const [grantVerdict, walletVerdict] = await Promise.allSettled([
    grant ? grant.reserve(request.id, action) : undefined,
    reserve(reservationOf(request.id), action),
  ])
  const grantDenied = grantVerdict.status === 'fulfilled' && grantVerdict.value?.decision === 'deny'
  if (grantDenied || grantVerdict.status === 'rejected' || walletVerdict.status === 'rejected') {
    await Promise.all([
      grant && grantVerdict.status === 'fulfilled' && !grantDenied ? grant.release(request.id) : undefined,
      walletVerdict.status === 'fulfilled' ? actions.release(reservationOf(request.id)) : undefined,
    ])
    const error = grantDenied
      ? new GrantDeniedError(grantVerdict.value!.reasons)
      : ((grantVerdict.status === 'rejected'
          ? grantVerdict.reason
          : (walletVerdict as PromiseRejectedResult).reason) as Error)
    if (error instanceof GrantDeniedError || error instanceof PolicyDeniedError) await recordRefusal(request, error)
    throw error
  }
  mark?.('reserved')
  // Within the grant, the wallet's own policy may still want the person (its approval threshold): both are asked
  // the way a dApp's request is, and the window says whose threshold it is.
  if (grantVerdict.value?.decision === 'needs-approval') {
    askedBecause = { source: 'pairing', reasons: grantVerdict.value.reasons }
  } else if (walletVerdict.value.decision === 'needs-approval' && !askedBecause) {
    askedBecause = { source: 'policy', reasons: walletVerdict.value.reasons }
  }
  let outcome: PendingRequest | undefined
  try {
    if (askedBecause) return await requestApproval({ ...request, askedBecause }, executeRequest)
    if (!(await accountService.isUnlocked())) {
      await actions.release(reservationOf(request.id))
      throw new ProviderRpcError(ErrorCode.unauthorized, 'The wallet is locked: unlock it in the Seed popup.')
    }
    // Within the grant: approved by the grant itself, so no window; the same record and executor run it,
    // minus the executor's re-check of the reservations just made (nothing can have changed in between).
    // An L1 send is signed by the pairing's session key, so the account itself bounds it (decision 0605).
    const session = kind === 'l1' && method !== 'eth_signTypedData_v4' ? caller.sessionContext : undefined
    outcome = await runApproved({ ...request, ...(session ? { sessionContext: session } : {}) }, (r, journal) =>
      execute(r, journal, { reservedNow: true, logged, mark }),
    )
    if (outcome.status === 'done') return outcome.result
    throw deserializeError(outcome.error as SerializedError)
  } finally {
    if (grant) {
      const record = outcome ?? (await stored.requests.item(request.id).get())
      // A settle need not hold up the answer: a reserved entry counts against the grant as a settled one
      // does, and the next reservation of this grant queues behind it on the grant's lock.
      if (leftTheWallet(record)) void grant.settle(request.id).catch((error) => console.warn('grant settle', error))
      else await grant.release(request.id)
    }
  }
}
