/**
 * A dApp request as the action pipeline sees it, reserved when it arrives: before any window opens,
 * its spend — for an L1 send, with the maximum fee the bundler asks right now — must fit the policy,
 * or the page gets 4100 at once. Execution re-checks it with the fee of the op it really signs.
 */
import type { Action } from '@seed/aa'
import type { Address, Hex } from 'viem'
import type { PendingRequest } from '../../core/protocol.ts'
import { estimateUserOperationFee } from '../account/seed-account.ts'
import { actionOf, reservationOf, reserve } from './policy.ts'

type Request = Pick<PendingRequest, 'id' | 'origin' | 'method' | 'params'>
type CallParam = { to: Address; value?: Hex; data?: Hex }

function userOpCalls(request: Request) {
  const params = (request.params ?? []) as unknown[]
  const calls =
    request.method === 'eth_sendTransaction'
      ? [params[0] as CallParam]
      : request.method === 'wallet_sendCalls'
        ? ((params[0] as { calls?: CallParam[] })?.calls ?? [])
        : []
  return calls.map((c) => ({ to: c.to, value: c.value ? BigInt(c.value) : 0n, data: c.data }))
}

/**
 * The request's action and, for a user op on L1, the fee the bundler proposes for it. An estimate
 * that fails (a reverting call, a locked wallet) leaves the fee to the execution-time check.
 */
export async function requestAction(request: Request, account: Address, kind: 'l1' | 'l2'): Promise<Action> {
  const action = await actionOf(request, account)
  if (kind !== 'l1') return action
  const calls = userOpCalls(request)
  if (!calls.length) return action
  const fee = await estimateUserOperationFee(calls).catch(() => undefined)
  return fee ? { ...action, fee } : action
}

/** Reserves the request's spend under its id; throws PolicyDeniedError (4100) when the policy denies it. */
export async function reserveRequest(request: Request, account: Address, kind: 'l1' | 'l2') {
  return reserve(reservationOf(request.id), await requestAction(request, account, kind))
}
