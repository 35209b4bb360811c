/**
 * Why a withdrawal cannot move to its next step, in words a visitor can act on. The bridge actions of
 * `@seed/contracts` check L1 before any call and throw `WithdrawalNotReadyError` with a reason code; the
 * page shows this error's sentence instead of the code.
 */
import { type WithdrawalBlocker, WithdrawalNotReadyError } from '@seed/contracts'
import { BaseError } from 'viem'

const REASONS: Record<WithdrawalBlocker, string> = {
  'not-sent': 'the message passer holds no such withdrawal: it was never sent on this chain',
  'not-in-output': 'no posted output covers its L2 block yet: wait for the next batch',
  'output-not-posted': 'the output to prove it against is not posted yet: wait for the batch',
  'output-mismatch':
    'the rollup node’s block differs from the output its batch posted on L1: a proof from this node would not verify',
  'output-invalidated': 'the output it was proven against was rolled back: prove it again against a newer output',
  'output-challenged': 'its output is challenged: finalizing waits for the guardians’ verdict',
  'challenge-window-open': 'the challenge window is not over',
  'already-proven': 'it is already proven',
  'already-finalized': 'it is already finalized: its ETH was paid on L1',
  'not-proven': 'it is not proven yet: prove it first',
  'insufficient-escrow': 'the portal holds less of this chain’s ETH than it withdraws: deposits must cover it first',
}

export class WithdrawalStepError extends BaseError {
  override name = 'WithdrawalStepError'
  readonly reason: WithdrawalBlocker
  constructor(step: 'prove' | 'finalize', cause: WithdrawalNotReadyError) {
    const when =
      cause.readyAt === undefined ? '' : `: it closes at ${new Date(Number(cause.readyAt) * 1000).toLocaleTimeString()}`
    super(`Cannot ${step} this withdrawal: ${REASONS[cause.reason]}${when}.`, { cause })
    this.reason = cause.reason
  }
}

/** `error` in words when it is a bridge refusal, else unchanged (wallet and RPC errors say their own). */
export function explainWithdrawalError(step: 'prove' | 'finalize', error: unknown): unknown {
  return error instanceof WithdrawalNotReadyError ? new WithdrawalStepError(step, error) : error
}
