/**
 * What an approved request does. Runs in whichever service-worker instance got the decision, and
 * again in a restarted one if the first died mid-way (decision 0413): each step that leaves the
 * wallet is journaled first, so a re-run finishes the same user op instead of sending a new one.
 */
import type { Action } from '@seed/aa'
import { type Address, bytesToHex, type Hex, hexToBigInt } from 'viem'
import { invalidParams } from '../../core/errors.ts'
import type { Execution, PendingRequest } from '../../core/protocol.ts'
import { accountService } from '../account/account.ts'
import { parseTypedDataParam } from '../approvals/typed-data.ts'
import { GRANT_METHODS } from '../grants/grant-request.ts'
import { grantSigner, TRANSACTION_REJECTED } from '../grants/grant-signer.ts'
import { grantForUse, permissionsCapability } from '../grants/grants.ts'
import { installGrants } from '../grants/install-grant.ts'
import { accountsFor } from '../provider/accounts.ts'
import { saveBundle } from '../provider/calls-status.ts'
import { kindOf } from '../provider/chains.ts'
import { emitToOrigin } from '../provider/events.ts'
import { grantAccounts } from '../provider/permissions.ts'
import { recordActivity, recordRefusal } from './activity.ts'
import { signL2Transaction, submitL2Transaction, type TxParams } from './l2.ts'
import { actionOf, actions, PolicyDeniedError, reservationOf, reserve } from './policy.ts'
import { runUserOpAction, type UserOpSigner, type UserOpStep } from './user-op-action.ts'

type CallParam = { to: Address; value?: Hex; data?: Hex }
/** Persists the execution step on the request record before the step leaves the wallet. */
export type Journal = (execution: Execution) => Promise<void>

/**
 * The session key that signs `request` instead of the owner: an ERC-7715 grant's (the dApp's
 * `permissions` capability, decision 0208) or a paired agent's (decision 0605), so the account
 * decides. A journaled op was signed under a grant that was live then: it is re-sent as it is.
 */
async function sessionSigner(request: PendingRequest, context: unknown): Promise<UserOpSigner | undefined> {
  if (context === undefined || request.execution) return undefined
  return grantSigner(await grantForUse(request.origin, context, Math.floor(Date.now() / 1000)))
}

/** The person sees what a caller tried under its grant and why the account refused it. */
async function recordChainRefusal(request: PendingRequest, error: unknown) {
  if ((error as { code?: number }).code !== TRANSACTION_REJECTED) return
  await recordActivity({
    kind: 'userOp',
    origin: request.origin,
    chainId: request.chainId,
    summary: (error as Error).message,
    status: 'failed',
  })
}

/** Signs (or reuses the journaled op), submits, waits: the same op however many times this runs. */
async function sendUserOp(
  request: PendingRequest,
  action: Action,
  calls: CallParam[],
  journal: Journal,
  bundleId?: Hex,
  sign?: UserOpSigner,
) {
  const sent = await runUserOpAction({
    reservation: reservationOf(request.id),
    action,
    calls: calls.map((c) => ({ to: c.to, value: c.value ? hexToBigInt(c.value) : 0n, data: c.data })),
    step: request.execution?.kind === 'userOp' ? (request.execution as UserOpStep) : undefined,
    journal,
    bundleId,
    sign,
  })
  const summary = calls.length === 1 ? `Call ${calls[0]!.to}` : `${calls.length} calls`
  await recordActivity({
    kind: 'userOp',
    origin: request.origin,
    chainId: request.chainId,
    summary: sign
      ? `${summary} under ${request.sessionContext ? "the pairing's session key" : 'an ERC-7715 grant'}`
      : summary,
    hash: sent.transactionHash,
    userOpHash: sent.userOpHash,
    status: 'success',
  })
  return sent
}

/**
 * Re-checks the request's reservation at execution (the policy or the ledger may have changed since
 * the window opened; a request from before a restart may have none yet) and records refusals.
 */
async function guard(request: PendingRequest, action: Action) {
  try {
    await reserve(reservationOf(request.id), action)
  } catch (error) {
    if (error instanceof PolicyDeniedError) await recordRefusal(request, error)
    throw error
  }
}

/**
 * `reservedNow`: the caller reserved this very action a moment ago with no window in between (a paired
 * agent within its grant), so a signature or an L2 send skips the re-check (an L1 op still re-checks
 * with the fee of the op it signs). `logged`: the caller writes the Activity entry itself. `mark`: told
 * when a signature's stages end (x402 times its payments with it).
 */
export type ExecuteOptions = { reservedNow?: boolean; logged?: boolean; mark?: StageMark }
/** Called as a stage of an action ends: `journaled` (the approved record is durable), `signed`, `settled` (the wallet's ledger). */
export type StageMark = (stage: 'reserved' | 'journaled' | 'signed' | 'settled') => void

export async function execute(
  request: PendingRequest,
  journal: Journal = async () => {},
  { reservedNow = false, logged = false, mark }: ExecuteOptions = {},
): Promise<unknown> {
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
      // The record was written approved before this ran: the journal is durable before the signature leaves.
      mark?.('journaled')
      const action = await actionOf(request, account!)
      if (!reservedNow) await guard(request, action)
      let signature: Hex
      if (request.method === 'personal_sign') {
        const message = { raw: params[0] as Hex }
        signature =
          kind === 'l2' ? await accountService.signRollupMessage(message) : await accountService.signMessage(message)
      } else {
        const typedData = parseTypedDataParam(params[1]) as never
        signature =
          kind === 'l2'
            ? await accountService.signRollupTypedData(typedData)
            : await accountService.signTypedData(typedData)
      }
      mark?.('signed')
      await actions.settle(reservationOf(request.id))
      mark?.('settled')
      if (!logged) {
        await recordActivity({
          kind: 'signature',
          origin: request.origin,
          chainId: request.chainId,
          summary: action.note === 'sign message' ? 'Signed a message' : `Signed ${action.note?.slice(5)} (typed data)`,
          status: 'success',
        })
      }
      return signature
    }
    case 'eth_sendTransaction': {
      const tx = params[0] as TxParams
      // A contract creation (no "to") is for the rollup, where the rollup account deploys (rollup.deploy).
      if (!tx?.to && !(kind === 'l2' && tx?.data)) throw invalidParams('eth_sendTransaction: "to" is required')
      const action = await actionOf(request, account!)
      if (!request.execution && !(reservedNow && kind === 'l2')) await guard(request, action)
      if (kind === 'l2') {
        let step = request.execution?.kind === 'l2' ? request.execution : undefined
        if (!step) {
          step = { kind: 'l2', ...(await signL2Transaction(tx)) }
          await journal(step)
        }
        const hash = await submitL2Transaction(step)
        await actions.settle(reservationOf(request.id))
        await recordActivity({
          kind: 'l2Tx',
          origin: request.origin,
          chainId: request.chainId,
          summary: tx.to ? `Send to ${tx.to}` : 'Deploy a contract',
          hash,
          status: 'pending',
        })
        return hash
      }
      const sign = await sessionSigner(request, request.sessionContext)
      const sent = await sendUserOp(request, action, [tx as CallParam], journal, undefined, sign).catch(
        async (error) => {
          if (sign) await recordChainRefusal(request, error)
          throw error
        },
      )
      return sent.transactionHash
    }
    case 'wallet_sendCalls': {
      const bundle = params[0] as { calls?: CallParam[]; chainId?: Hex }
      if (!bundle?.calls?.length) throw invalidParams('wallet_sendCalls: calls are required')
      if (kind !== 'l1') throw invalidParams('wallet_sendCalls: batches are supported on L1 (smart account) only')
      const action = await actionOf(request, account!)
      if (!request.execution) await guard(request, action)
      // Under an ERC-7715 grant (approved once, decision 0208) or a pairing's key, the session key signs.
      const sign = await sessionSigner(request, permissionsCapability(bundle)?.context ?? request.sessionContext)
      const id = bytesToHex(crypto.getRandomValues(new Uint8Array(32)))
      if (!request.execution) await saveBundle({ id, chainId: request.chainId })
      const sent = await sendUserOp(request, action, bundle.calls, journal, id, sign).catch(async (error) => {
        if (sign) await recordChainRefusal(request, error)
        throw error
      })
      const bundleId = sent.bundleId ?? id
      await saveBundle({ id: bundleId, chainId: request.chainId, transactionHash: sent.transactionHash, success: true })
      return { id: bundleId }
    }
  }
  if ((GRANT_METHODS as readonly string[]).includes(request.method)) return installGrants(request, journal)
  throw new Error(`Nothing to execute for ${request.method}`)
}
