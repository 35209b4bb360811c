/**
 * Address aliasing (SPEC.md §10.1), as the OP Stack: a deposit sent by an L1 contract comes from
 * `address + ALIAS_OFFSET (mod 2^160)` on L2, so an L1 contract can never act as the L2 account
 * that has its address (which its deployer may not control on L2).
 */
import { type Address, getAddress, numberToHex } from 'viem'

export const ALIAS_OFFSET = 0x1111000000000000000000000000000000001111n
const ADDRESS_SPACE = 1n << 160n

const shift = (address: Address, by: bigint): Address =>
  getAddress(numberToHex((BigInt(address) + by + ADDRESS_SPACE) % ADDRESS_SPACE, { size: 20 }))

export const applyL1ToL2Alias = (address: Address): Address => shift(address, ALIAS_OFFSET)
export const undoL1ToL2Alias = (address: Address): Address => shift(address, -ALIAS_OFFSET)
