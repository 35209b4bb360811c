/**
 * Output root (SPEC.md §6), OP Stack version 0:
 *   keccak256(version (32 bytes, 0) ++ stateRoot ++ messagePasserStorageRoot ++ blockHash)
 * messagePasserStorageRoot is the storage root of the L2ToL1MessagePasser predeploy (§10.3) when the chain
 * has one (its genesis put code there), else 32 zero bytes (v1 chains).
 */
import { concat, type Hex, keccak256, pad } from 'viem'

export const OUTPUT_VERSION = pad('0x00', { size: 32 })
export const NO_WITHDRAWALS_ROOT = pad('0x00', { size: 32 })
/** The code hash of an account without code (and of one that does not exist). */
const EMPTY_CODE_HASH: Hex = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'

export function outputRoot(o: { stateRoot: Hex; blockHash: Hex; withdrawalStorageRoot?: Hex }): Hex {
  return keccak256(concat([OUTPUT_VERSION, o.stateRoot, o.withdrawalStorageRoot ?? NO_WITHDRAWALS_ROOT, o.blockHash]))
}

/**
 * The `messagePasserStorageRoot` of a block, from the message passer's account in its state (what
 * `eth_getProof(L2_TO_L1_MESSAGE_PASSER, [], block)` returns as `codeHash` and `storageHash`): its storage
 * root where the predeploy has code, zero where it has none (a v1 chain; ETH sent to the address changes
 * nothing).
 */
export function messagePasserStorageRoot(account: { codeHash: Hex; storageHash: Hex } | undefined): Hex {
  if (!account || account.codeHash.toLowerCase() === EMPTY_CODE_HASH) return NO_WITHDRAWALS_ROOT
  return account.storageHash
}
