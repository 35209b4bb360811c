/**
 * An approved ERC-7715 request becomes on-chain sessions: one owner-signed user op grants each
 * session key its scope and moves the sessions' gas budget into the account's EntryPoint deposit,
 * through the one action pipeline (admin flow: reserve → sign → re-check the fee → journal → submit
 * → settle). The keys were made and sealed when the request arrived, so a re-run after a worker
 * restart installs the same keys the journaled op names.
 */
import { depositGasCall, grantSessionKeyCall } from '@seed/aa'
import { type Address, numberToHex } from 'viem'
import type { Execution, PendingRequest } from '../../core/protocol.ts'
import type { GrantRecord } from '../../core/records.ts'
import { recordActivity } from '../actions/activity.ts'
import { reservationOf, reserveAdmin } from '../actions/policy.ts'
import { runUserOpAction, type UserOpStep } from '../actions/user-op-action.ts'
import type { GrantRequest, SessionGrant } from './grant-request.ts'
import { getGrant, grantContext, putGrant, removeGrant } from './grants.ts'
import { sessionScopeOf } from './session-scope.ts'

export type PreparedGrant = SessionGrant & {
  sessionKey: Address
  sealedKey: GrantRecord['sealedKey']
  gasBudget: string
}
/** What the approval window shows and the executor installs (the request's only param). */
export type PreparedGrantRequest = Omit<GrantRequest, 'grants'> & {
  account: Address
  chainId: number
  grants: PreparedGrant[]
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

function recordOf(request: PendingRequest, prepared: PreparedGrantRequest, grant: PreparedGrant): GrantRecord {
  return {
    context: grantContext(prepared.account, grant.sessionKey),
    origin: request.origin,
    chainId: prepared.chainId,
    account: prepared.account,
    sessionKey: grant.sessionKey,
    sealedKey: grant.sealedKey,
    permissions: grant.permissions,
    gasBudget: grant.gasBudget,
    period: grant.period,
    startTime: grant.startTime,
    expiry: grant.expiry,
    status: 'installing',
    grantedAt: Date.now(),
  }
}

/** Installs the approved grants and answers the dApp in the shape its method expects. */
export async function installGrants(
  request: PendingRequest,
  journal: (execution: Execution) => Promise<void>,
): Promise<unknown> {
  const prepared = (request.params as [PreparedGrantRequest])[0]
  const now = nowSeconds()
  const expired = prepared.grants.find((g) => g.expiry <= now)
  if (expired) throw new Error('The grant expired before it was approved.')
  const calls = prepared.grants.map((g) =>
    grantSessionKeyCall(prepared.account, g.sessionKey, sessionScopeOf({ ...g, gasBudget: BigInt(g.gasBudget) }, now)),
  )
  const gas = prepared.grants.reduce((sum, g) => sum + BigInt(g.gasBudget), 0n)
  if (gas > 0n) calls.push(depositGasCall(prepared.account, gas))
  const action = { requestedBy: request.origin, account: prepared.account, calls, note: 'ERC-7715 grant' }
  const reservation = reservationOf(request.id)
  const step = request.execution?.kind === 'userOp' ? (request.execution as UserOpStep) : undefined
  if (!step) await reserveAdmin(reservation, action)
  const records = prepared.grants.map((g) => recordOf(request, prepared, g))
  for (const record of records) if (!(await getGrant(record.context))) await putGrant(record)
  let submitted = step?.submitted === true
  const journalStep = async (next: UserOpStep) => {
    submitted = next.submitted
    await journal(next)
  }
  let sent: Awaited<ReturnType<typeof runUserOpAction>>
  try {
    sent = await runUserOpAction({ reservation, action, calls, step, journal: journalStep, reserveWith: reserveAdmin })
  } catch (error) {
    // Nothing on-chain names these keys unless the op went out; one that did may still land (kept, revocable).
    if (!submitted) {
      for (const record of records) await removeGrant(record.context)
    }
    throw error
  }
  for (const record of records) await putGrant({ ...record, status: 'active' })
  await recordActivity({
    kind: 'userOp',
    origin: request.origin,
    chainId: prepared.chainId,
    summary: `Granted ${records.length === 1 ? 'an execution permission' : `${records.length} execution permissions`} (ERC-7715)`,
    hash: sent.transactionHash,
    userOpHash: sent.userOpHash,
    status: 'success',
  })
  return grantResponse(prepared, records)
}

/**
 * The draft's response repeats each request with its `context` (no `delegationManager`: the signer
 * is the wallet); viem's `grantPermissions` wants `{ expiry, grantedPermissions, permissionsContext }`.
 */
export function grantResponse(prepared: PreparedGrantRequest, records: GrantRecord[]) {
  if (prepared.method === 'wallet_grantPermissions') {
    const grant = prepared.grants[0]!
    const entries = (grant.requested.permissions as Record<string, unknown>[]) ?? []
    return {
      ...prepared.requested,
      expiry: grant.expiry,
      grantedPermissions: entries.map((e) => ({ ...e, policies: e.policies ?? [], required: e.required ?? false })),
      permissionsContext: records[0]!.context,
      signerData: { submitToAddress: prepared.account },
    }
  }
  return prepared.grants.map((grant, i) => ({
    ...grant.requested,
    chainId: numberToHex(prepared.chainId),
    address: prepared.account,
    signer: { type: 'wallet', data: {} },
    context: records[i]!.context,
    dependencyInfo: [],
  }))
}
