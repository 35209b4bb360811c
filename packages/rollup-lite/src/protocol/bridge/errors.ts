/** Typed errors of the bridge definitions (viem style: `shortMessage` + details). */
import { BaseError } from 'viem'

/** A `TransactionDeposited` log or a `0x7E` transaction that does not decode under SPEC.md §10. */
export class DepositDecodeError extends BaseError {
  override name = 'DepositDecodeError'
  constructor(details: string) {
    super('The deposit does not decode.', { details })
  }
}
