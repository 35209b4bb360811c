import { BaseError } from 'viem'

/** A probe, voucher or command the operator refuses, with the HTTP status its server answers. */
export class OperatorError extends BaseError {
  override name = 'OperatorError'
  readonly status: number
  constructor(shortMessage: string, options: { status?: number; details?: string; cause?: Error } = {}) {
    super(shortMessage, { details: options.details, cause: options.cause })
    this.status = options.status ?? 400
  }
}
