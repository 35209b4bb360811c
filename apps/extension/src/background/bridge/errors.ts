/** The bridge's refusals as the provider, the console and paired agents see them: EIP-1474 codes with the reason. */
import { BridgeNotConfiguredError, WithdrawalNotReadyError } from '@seed/contracts'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'

/**
 * A withdrawal step that cannot happen (now or ever): a replay, a second finalize, a proof against a challenged
 * output, the window still open (`readyAt`, unix seconds). -32003: nothing was signed or sent.
 */
export class BridgeRefusedError extends ProviderRpcError {
  override name = 'BridgeRefusedError'
  constructor(message: string, data: { reason: string; readyAt?: number }) {
    super(ErrorCode.transactionRejected, message, data)
  }
}

/** The typed errors of `@seed/contracts`'s bridge actions, as provider errors; anything else is rethrown. */
export function asBridgeRefusal(error: unknown): never {
  if (error instanceof WithdrawalNotReadyError) {
    const readyAt = error.readyAt === undefined ? undefined : Number(error.readyAt)
    throw new BridgeRefusedError(error.shortMessage, { reason: error.reason, ...(readyAt ? { readyAt } : {}) })
  }
  if (error instanceof BridgeNotConfiguredError) {
    throw new BridgeRefusedError(`${error.shortMessage} Its owner registers one before anything crosses.`, {
      reason: 'not-configured',
    })
  }
  throw error
}
