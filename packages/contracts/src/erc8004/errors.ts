import { BaseError } from 'viem'

/** An agent's registration or feedback file that is not what ERC-8004 describes (or too large to read). */
export class Erc8004FileError extends BaseError {
  override name = 'Erc8004FileError'
  constructor(what: string, reason: string) {
    super(`Invalid ${what}: ${reason}`)
  }
}
