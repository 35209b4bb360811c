/**
 * Finalizes a proven withdrawal once its output's challenge window has passed: the portal pays the smart account
 * (ETH from the chain's escrow, or Seed USD through the L1 bridge). One L1 user op through the one action
 * pipeline; refused before anything is signed while the window is open (with when it closes), under a challenge,
 * unproven, or already finalized.
 */
import type { WithdrawalStep } from '@seed/agent/api'
import { type BridgeCall, finalizeWithdrawal } from '@seed/contracts'
import type { Hex } from 'viem'
import type { ResolvedCaller } from '../agent/caller.ts'
import { sendCalls } from '../agent/wallet.ts'
import { bridgeContext } from './chains.ts'
import { asBridgeRefusal } from './errors.ts'
import { noteStep, parseWithdrawalHash, requireWithdrawal, viewOf, withdrawalOf } from './withdrawals.ts'

export async function finalize(
  caller: ResolvedCaller,
  params: { withdrawalHash?: unknown } | unknown,
): Promise<WithdrawalStep> {
  const withdrawalHash = parseWithdrawalHash(params, 'bridge.finalize')
  const ctx = await bridgeContext()
  const record = await requireWithdrawal(ctx, withdrawalHash)
  let call: BridgeCall
  try {
    call = await finalizeWithdrawal(ctx.l1, { inbox: ctx.inbox, withdrawal: withdrawalOf(record) })
  } catch (error) {
    asBridgeRefusal(error)
  }
  const [sent] = await sendCalls(caller, 'l1', [{ to: call.to, data: call.data }])
  const hash = sent!.hash as Hex
  await noteStep(record.withdrawalHash, { finalizeTx: hash })
  return { hash, withdrawal: await viewOf(ctx, { ...record, finalizeTx: hash }) }
}
