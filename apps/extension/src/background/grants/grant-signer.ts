/**
 * Sending under a grant (decision 0208): the wallet signs the dApp's calls with the grant's session
 * key, so the op is `executeAsSession(key, calls)` and the account itself decides. The wallet does
 * not check the allowance: past it, the bundler's simulation at the EntryPoint runs the account's
 * code, which reverts (ValueLimitExceeded, TokenLimitExceeded) or fails validation (AA24: a target
 * outside the grant, an ended session); that refusal is what the dApp gets, with its reason.
 */
import { SeedAccountAbi } from '@seed/contracts'
import { decodeErrorResult, type Hex } from 'viem'
import { ProviderRpcError } from '../../core/errors.ts'
import type { GrantRecord } from '../../core/records.ts'
import { unsealKey } from '../../rollup/sealed-key.ts'
import { sessionAgentAccount, signUserOperationAs } from '../account/seed-account.ts'
import type { UserOpSigner } from '../actions/user-op-action.ts'

/** EIP-1474 "transaction rejected": the chain (the account's code) refused the op. */
export const TRANSACTION_REJECTED = -32003

/** Revert data anywhere in viem's error chain (alto puts it in `data`, or in the message). */
function revertDataOf(error: unknown): Hex | undefined {
  for (let e = error as { data?: unknown; cause?: unknown; details?: unknown; message?: unknown } | undefined; e; ) {
    const data = typeof e.data === 'string' ? e.data : (e.data as { revertData?: unknown } | undefined)?.revertData
    if (typeof data === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(data)) return data as Hex
    for (const text of [e.details, e.message]) {
      const match = typeof text === 'string' ? text.match(/0x[0-9a-fA-F]{8,}/) : null
      if (match) return match[0] as Hex
    }
    e = e.cause as typeof e
  }
  return undefined
}

/** The account's own error, decoded (`ValueLimitExceeded(spent, limit)`), or the bundler's words. */
export function onChainReason(error: unknown): string {
  const data = revertDataOf(error)
  if (data) {
    try {
      const decoded = decodeErrorResult({ abi: SeedAccountAbi, data })
      return `${decoded.errorName}(${(decoded.args ?? []).map(String).join(', ')})`
    } catch {}
  }
  const e = error as { details?: string; shortMessage?: string; message?: string }
  return e.details ?? e.shortMessage ?? e.message ?? String(error)
}

export function grantSigner(grant: GrantRecord): UserOpSigner {
  return async (calls) => {
    const agent = await sessionAgentAccount(await unsealKey(grant.sealedKey))
    try {
      return await signUserOperationAs(agent, calls)
    } catch (error) {
      const reason = onChainReason(error)
      // Only what the EntryPoint run refused is the chain's answer; a bundler that is down stays that.
      if (!revertDataOf(error) && !/AA\d\d|revert/i.test(reason)) throw error
      throw new ProviderRpcError(TRANSACTION_REJECTED, `Refused on-chain by the account under this grant: ${reason}`)
    }
  }
}
