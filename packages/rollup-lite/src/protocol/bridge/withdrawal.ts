/**
 * Withdrawals (SPEC.md §10.3): the L2 predeploy `L2ToL1MessagePasser` records each withdrawal's
 * hash in `sentMessages` (slot 0); an L1 prover shows `sentMessages[hash] = true` with a storage
 * proof under the message passer's storage root committed by a posted output root.
 */
import type { Withdrawal } from '@seed/contracts'
import { type Address, decodeEventLog, type Hex, parseAbi } from 'viem'

// The hash and its storage slot are the ones SeedPortal proves against on L1: one definition, in the
// package of the contract that checks them.
export {
  hashWithdrawal as withdrawalHash,
  SENT_MESSAGES_SLOT,
  type Withdrawal,
  withdrawalStorageSlot,
} from '@seed/contracts'

export const L2_TO_L1_MESSAGE_PASSER: Address = '0x4200000000000000000000000000000000000016'
export const L2_STANDARD_BRIDGE: Address = '0x4200000000000000000000000000000000000010'
/** The message passer's nonces carry a version in their top 16 bits (OP's encodeVersionedNonce, version 1). */
export const WITHDRAWAL_NONCE_VERSION = 1n
const VERSION_SHIFT = 240n

export const messagePasserAbi = parseAbi([
  'function initiateWithdrawal(address target, uint256 gasLimit, bytes data) payable',
  'function sentMessages(bytes32) view returns (bool)',
  'function messageNonce() view returns (uint256)',
  'event MessagePassed(uint256 indexed nonce, address indexed sender, address indexed target, uint256 value, uint256 gasLimit, bytes data, bytes32 withdrawalHash)',
])

/** The nonce of the message passer's `messageNonce`-th withdrawal. */
export const withdrawalNonce = (messageNonce: bigint): bigint =>
  messageNonce | (WITHDRAWAL_NONCE_VERSION << VERSION_SHIFT)

/** A `MessagePassed` log's withdrawal, with the hash the contract computed for it. */
export function decodeMessagePassedLog(log: {
  topics: readonly Hex[]
  data: Hex
}): Withdrawal & { withdrawalHash: Hex } {
  const { args } = decodeEventLog({
    abi: messagePasserAbi,
    eventName: 'MessagePassed',
    topics: log.topics as [Hex, ...Hex[]],
    data: log.data,
    strict: true,
  })
  return args
}
