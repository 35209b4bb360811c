/** What an approved request does. Runs in whichever service-worker instance got the decision. */
import { type Address, bytesToHex, type Hex, hexToBigInt } from 'viem'
import { invalidParams } from '../core/errors.ts'
import type { PendingRequest } from '../core/protocol.ts'
import { accountService } from './account.ts'
import { recordActivity } from './activity.ts'
import { saveBundle } from './calls-status.ts'
import { kindOf } from './chains.ts'
import { emitToOrigin } from './events.ts'
import { sendL2Transaction, type TxParams } from './l2.ts'
import { grantAccounts } from './permissions.ts'
import { enforcePolicy, recordPolicyAction } from './policy.ts'
import { accountsFor } from './rpc.ts'

type CallParam = { to: Address; value?: Hex; data?: Hex }

async function sendL1(request: PendingRequest, calls: CallParam[]) {
  const sent = await accountService.sendCalls(
    calls.map((c) => ({ to: c.to, value: c.value ? hexToBigInt(c.value) : 0n, data: c.data })),
  )
  await recordActivity({
    kind: 'userOp',
    origin: request.origin,
    chainId: request.chainId,
    summary: calls.length === 1 ? `Call ${calls[0]!.to}` : `${calls.length} calls`,
    hash: sent.transactionHash,
    userOpHash: sent.userOpHash,
    status: sent.success ? 'success' : 'failed',
  })
  return sent
}

export async function execute(request: PendingRequest): Promise<unknown> {
  const params = request.params as unknown[]
  const kind = await kindOf(request.chainId)
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
    case 'personal_sign': {
      const message = { raw: params[0] as Hex }
      const signature =
        kind === 'l2' ? await accountService.signMessageAsOwner(message) : await accountService.signMessage(message)
      await recordActivity({
        kind: 'signature',
        origin: request.origin,
        chainId: request.chainId,
        summary: 'Signed a message',
        status: 'success',
      })
      return signature
    }
    case 'eth_signTypedData_v4': {
      const typedData = typeof params[1] === 'string' ? JSON.parse(params[1]) : params[1]
      return accountService.signTypedData(typedData)
    }
    case 'eth_sendTransaction': {
      const tx = params[0] as TxParams
      if (!tx?.to) throw invalidParams('eth_sendTransaction: "to" is required')
      const info = (await accountService.info())!
      const account = kind === 'l2' ? info.owner : info.smartAccount
      const calls = [tx as CallParam]
      await enforcePolicy(request.origin, account, calls)
      if (kind === 'l2') {
        const hash = await sendL2Transaction(tx)
        await recordPolicyAction(request.origin, account, calls)
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
      const sent = await sendL1(request, calls)
      await recordPolicyAction(request.origin, account, calls)
      return sent.transactionHash
    }
    case 'wallet_sendCalls': {
      const bundle = params[0] as { calls?: CallParam[]; chainId?: Hex }
      if (!bundle?.calls?.length) throw invalidParams('wallet_sendCalls: calls are required')
      if (kind !== 'l1') throw invalidParams('wallet_sendCalls: batches are supported on L1 (smart account) only')
      const account = (await accountService.info())!.smartAccount
      await enforcePolicy(request.origin, account, bundle.calls)
      const id = bytesToHex(crypto.getRandomValues(new Uint8Array(32)))
      await saveBundle({ id, chainId: request.chainId })
      const sent = await sendL1(request, bundle.calls)
      await saveBundle({ id, chainId: request.chainId, transactionHash: sent.transactionHash, success: sent.success })
      await recordPolicyAction(request.origin, account, bundle.calls)
      return { id }
    }
  }
  throw new Error(`Nothing to execute for ${request.method}`)
}
