import { BaseError } from 'viem'

/** A bounty that does not exist, terms that cannot be paid, a voucher or answer that does not check out. */
export class BountyError extends BaseError {
  override name = 'BountyError'
  constructor(shortMessage: string, options: { details?: string; cause?: Error } = {}) {
    super(shortMessage, options)
  }
}
