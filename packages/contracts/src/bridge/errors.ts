/** Typed errors of the bridge actions: each says what is missing or when it will be possible. */
import { type Address, BaseError, type Hex } from 'viem'

/** The chain of this inbox has no registered bridge config: nothing can be deposited or withdrawn yet. */
export class BridgeNotConfiguredError extends BaseError {
  override name = 'BridgeNotConfiguredError'
  readonly inbox: Address
  constructor(inbox: Address) {
    super(`The chain of inbox ${inbox} has no bridge config.`, {
      details: 'Its owner registers one with registerBridgeConfig before any deposit.',
    })
    this.inbox = inbox
  }
}

/** A config the portal would refuse (guardians, threshold, windows, bond or deposit gas). */
export class InvalidBridgeConfigError extends BaseError {
  override name = 'InvalidBridgeConfigError'
  constructor(reason: string) {
    super(`Invalid bridge config: ${reason}.`)
  }
}

/** The deposit asks for less L2 gas than its data needs, or more than this L1 block has left. */
export class DepositGasError extends BaseError {
  override name = 'DepositGasError'
  readonly gasLimit: bigint
  constructor(gasLimit: bigint, reason: string) {
    super(`Deposit gas limit ${gasLimit} ${reason}.`)
    this.gasLimit = gasLimit
  }
}

export type WithdrawalBlocker =
  | 'not-sent'
  | 'not-in-output'
  | 'not-proven'
  | 'already-proven'
  | 'already-finalized'
  | 'output-not-posted'
  | 'output-mismatch'
  | 'output-invalidated'
  | 'output-challenged'
  | 'challenge-window-open'
  | 'insufficient-escrow'

/** A withdrawal cannot be proven or finalized now; `readyAt` (unix seconds) when only time is missing. */
export class WithdrawalNotReadyError extends BaseError {
  override name = 'WithdrawalNotReadyError'
  readonly withdrawalHash: Hex
  readonly reason: WithdrawalBlocker
  readonly readyAt?: bigint
  constructor(withdrawalHash: Hex, reason: WithdrawalBlocker, readyAt?: bigint) {
    super(`Withdrawal ${withdrawalHash} is not ready: ${reason}.`, {
      details: readyAt === undefined ? undefined : `ready at ${new Date(Number(readyAt) * 1000).toISOString()}`,
    })
    this.withdrawalHash = withdrawalHash
    this.reason = reason
    this.readyAt = readyAt
  }
}

/** The output cannot be challenged or resolved now (absent, window closed, already challenged, none pending). */
export class OutputChallengeError extends BaseError {
  override name = 'OutputChallengeError'
  readonly index: bigint
  constructor(index: bigint, reason: string) {
    super(`Output ${index}: ${reason}.`)
    this.index = index
  }
}
