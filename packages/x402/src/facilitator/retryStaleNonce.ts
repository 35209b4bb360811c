/**
 * The facilitator counts its key's nonces in memory (`localNonces`); another process sending with the same key
 * makes the count stale, and the node refuses the next send as "nonce too low". viem resets the count on that
 * error, so one more try reads the chain's count and goes through.
 *
 * Only for sends that cannot take effect twice: an EIP-3009 authorisation executes once (its own nonce), a
 * channel claim pays only the increase over what was claimed.
 */
import { BaseError, NonceTooLowError } from 'viem'

export async function retryStaleNonce<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send()
  } catch (error) {
    if (!(error instanceof BaseError) || error.walk((e) => e instanceof NonceTooLowError) === null) throw error
    return send()
  }
}
