/**
 * Proves a withdrawal on L1 against the first posted output that covers it: the output's preimage and the
 * message passer's storage proof come from the embedded node's `eth_getProof` (`buildWithdrawalProof`), checked
 * against what the inbox holds; one L1 user op through the one action pipeline. Refused before anything is
 * signed: no output yet, a challenged output, a withdrawal already proven or finalized.
 */
import type { WithdrawalStep } from '@seed/agent/api'
import { type BridgeCall, buildWithdrawalProof, proveWithdrawal } from '@seed/contracts'
import type { Hex } from 'viem'
import type { ResolvedCaller } from '../agent/caller.ts'
import { sendCalls } from '../agent/wallet.ts'
import { bridgeContext } from './chains.ts'
import { asBridgeRefusal, BridgeRefusedError } from './errors.ts'
import {
  batchCovering,
  noteStep,
  outputChallenged,
  parseWithdrawalHash,
  requireWithdrawal,
  viewOf,
  withdrawalOf,
} from './withdrawals.ts'

export async function prove(
  caller: ResolvedCaller,
  params: { withdrawalHash?: unknown } | unknown,
): Promise<WithdrawalStep> {
  const withdrawalHash = parseWithdrawalHash(params, 'bridge.prove')
  const ctx = await bridgeContext()
  const record = await requireWithdrawal(ctx, withdrawalHash)
  const index = await batchCovering(ctx, record.l2Block)
  if (index === undefined) {
    throw new BridgeRefusedError(
      `No posted output covers rollup block ${record.l2Block} yet: wait for the next batch.`,
      {
        reason: 'output-not-posted',
      },
    )
  }
  // A proof against an output under challenge would stand only if the guardians uphold it: refused, not gambled.
  if (await outputChallenged(ctx, index)) {
    throw new BridgeRefusedError(`Output ${index} is challenged: prove once the guardians resolve it.`, {
      reason: 'output-challenged',
    })
  }
  let call: BridgeCall
  try {
    const proof = await buildWithdrawalProof(ctx.l2, {
      l1: ctx.l1,
      inbox: ctx.inbox,
      batchIndex: index,
      tx: record.l2Tx,
    })
    if (proof.withdrawal.nonce !== withdrawalOf(record).nonce) {
      throw new BridgeRefusedError('The rollup tx sent another withdrawal first.', { reason: 'not-sent' })
    }
    call = await proveWithdrawal(ctx.l1, proof)
  } catch (error) {
    asBridgeRefusal(error)
  }
  const [sent] = await sendCalls(caller, 'l1', [{ to: call.to, data: call.data }])
  const hash = sent!.hash as Hex
  await noteStep(record.withdrawalHash, { proveTx: hash })
  return { hash, withdrawal: await viewOf(ctx, { ...record, proveTx: hash }) }
}
