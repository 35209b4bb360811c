/**
 * Output root (SPEC.md "Output root"), OP Stack version 0:
 *   keccak256(version (32 bytes, 0) ++ stateRoot ++ withdrawalStorageRoot ++ blockHash)
 * This rollup has no L2→L1 message passer yet, so withdrawalStorageRoot is 32 zero bytes.
 */
import { concat, type Hex, keccak256, pad } from 'viem'

export const OUTPUT_VERSION = pad('0x00', { size: 32 })
export const NO_WITHDRAWALS_ROOT = pad('0x00', { size: 32 })

export function outputRoot(o: { stateRoot: Hex; blockHash: Hex; withdrawalStorageRoot?: Hex }): Hex {
  return keccak256(concat([OUTPUT_VERSION, o.stateRoot, o.withdrawalStorageRoot ?? NO_WITHDRAWALS_ROOT, o.blockHash]))
}
