/**
 * What an approved request does. Runs in whichever service-worker instance got the decision, and
 * again in a restarted one if the first died mid-way (decision 0413): each step that leaves the
 * wallet is journaled first, so a re-run finishes the same user op instead of sending a new one.
 */
import type { Action } from '@seed/aa'
import { type Address, bytesToHex, type Hex, hexToBigInt } from 'viem'
import { invalidParams } from '../core/errors.ts'
import type { Execution, PendingRequest } from '../core/protocol.ts'
import { accountService } from './account.ts'
import { recordActivity } from './activity.ts'
import { saveBundle } from './calls-status.ts'
import { kindOf } from './chains.ts'
import { emitToOrigin } from './events.ts'
import { signL2Transaction, submitL2Transaction, type TxParams } from './l2.ts'
import { grantAccounts } from './permissions.ts'
import { actionOf, enforcePolicy, PolicyDeniedError, recordPolicyAction } from './policy.ts'
import { accountsFor } from './rpc.ts'
import { type SignedUserOp, signUserOperation, submitUserOperation, waitForUserOperation } from './seed-account.ts'
import { parseTypedDataParam } from './typed-data.ts'

type CallParam = { to: Address; value?: Hex; data?: Hex }
/** Persists the execution step on the request record before the step leaves the wallet. */
export type Journal = (execution: Execution) => Promise<void>

/** Signs (or reuses the journaled op), submits, waits: the same op however many times this runs. */
async function sendUserOp(request: PendingRequest, calls: CallParam[], journal: Journal, bundleId?: Hex) {
  let step = request.execution?.kind === 'userOp' ? request.execution : undefined
  if (!step) {
    const signed = await signUserOperation(
      calls.map((c) => ({ to: c.to, value: c.value ? hexToBigInt(c.value) : 0n, data: c.data })),
    )
    step = { kind: 'userOp', ...signed, submitted: false, bundleId }
    await journal(step)
  }
  try {
    await submitUserOperation(step as SignedUserOp)
  } catch (error) {
    // A re-send of an op the bundler already has or already included fails; its receipt still comes.
    if (!step.submitted) throw error
  }
  if (!step.submitted) await journal({ ...step, submitted: true })
  const sent = await waitForUserOperation(step.userOpHash)
  await recordActivity({
    kind: 'userOp',
    origin: request.origin,
    chainId: request.chainId,
    summary: calls.length === 1 ? `Call ${calls[0]!.to}` : `${calls.length} calls`,
    hash: sent.transactionHash,
    userOpHash: sent.userOpHash,
    status: 'success',
  })
  return { ...sent, bundleId: step.bundleId }
}

/** Re-checks the policy at execution (it may have changed since the window opened) and records refusals. */
async function guard(request: PendingRequest, action: Action) {
  try {
    await enforcePolicy(action)
  } catch (error) {
    if (error instanceof PolicyDeniedError) await recordRefusal(request, error)
    throw error
  }
}

/** A refusal goes to the activity list like anything else the wallet did for a site. */
export async function recordRefusal(request: Pick<PendingRequest, 'origin' | 'chainId' | 'method'>, error: Error) {
  await recordActivity({
    kind: request.method.includes('sign') ? 'signature' : 'userOp',
    origin: request.origin,
    chainId: request.chainId,
    summary: `Refused ${request.method}: ${error.message}`,
    status: 'failed',
  })
}

export async function execute(request: PendingRequest, journal: Journal = async () => {}): Promise<unknown> {
  const params = request.params as unknown[]
  const kind = await kindOf(request.chainId)
  const info = await accountService.info()
  const account = kind === 'l2' ? info?.rollupAccount : info?.smartAccount
  switch (request.method) {
    case 'eth_requestAccounts':
    case 'wallet_requestPermissions': {
      if (!(await accountService.isUnlocked())) throw new Error('Unlock the wallet first')
      const permissions = await grantAccounts(request.origin)
      await recordActivity({
        kind: 'connect',
        origin: request.origin,
        chainId: request.chainId,
        summary: 'Connected',
        status: 'success',
      })
      await emitToOrigin(request.origin, 'accountsChanged', await accountsFor(request.origin))
      return request.method === 'eth_requestAccounts' ? accountsFor(request.origin) : permissions
    }
    case 'personal_sign':
    case 'eth_signTypedData_v4': {
      const action = actionOf(request, account!)
      await guard(request, action)
      let signature: Hex
      if (request.method === 'personal_sign') {
        const message = { raw: params[0] as Hex }
        signature =
          kind === 'l2' ? await accountService.signRollupMessage(message) : await accountService.signMessage(message)
      } else {
        signature = await accountService.signTypedData(parseTypedDataParam(params[1]) as never)
      }
      await recordPolicyAction(action)
      await recordActivity({
        kind: 'signature',
        origin: request.origin,
        chainId: request.chainId,
        summary: action.note === 'sign message' ? 'Signed a message' : `Signed ${action.note?.slice(5)} (typed data)`,
        status: 'success',
      })
      return signature
    }
    case 'eth_sendTransaction': {
      const tx = params[0] as TxParams
      if (!tx?.to) throw invalidParams('eth_sendTransaction: "to" is required')
      const action = actionOf(request, account!)
      if (!request.execution) await guard(request, action)
      if (kind === 'l2') {
        let step = request.execution?.kind === 'l2' ? request.execution : undefined
        if (!step) {
          step = { kind: 'l2', ...(await signL2Transaction(tx)) }
          await journal(step)
        }
        const hash = await submitL2Transaction(step)
        await recordPolicyAction(action)
        await recordActivity({
          kind: 'l2Tx',
          origin: request.origin,
          chainId: request.chainId,
          summary: `Send to ${tx.to}`,
          hash,
          status: 'pending',
        })
        return hash
      }
      const sent = await sendUserOp(request, [tx as CallParam], journal)
      await recordPolicyAction(action)
      return sent.transactionHash
    }
    case 'wallet_sendCalls': {
      const bundle = params[0] as { calls?: CallParam[]; chainId?: Hex }
      if (!bundle?.calls?.length) throw invalidParams('wallet_sendCalls: calls are required')
      if (kind !== 'l1') throw invalidParams('wallet_sendCalls: batches are supported on L1 (smart account) only')
      const action = actionOf(request, account!)
      if (!request.execution) await guard(request, action)
      const id = bytesToHex(crypto.getRandomValues(new Uint8Array(32)))
      if (!request.execution) await saveBundle({ id, chainId: request.chainId })
      const sent = await sendUserOp(request, bundle.calls, journal, id)
      const bundleId = sent.bundleId ?? id
      await saveBundle({ id: bundleId, chainId: request.chainId, transactionHash: sent.transactionHash, success: true })
      await recordPolicyAction(action)
      return { id: bundleId }
    }
  }
  throw new Error(`Nothing to execute for ${request.method}`)
}
