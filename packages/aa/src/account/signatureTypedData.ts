/**
 * The EIP-712 typed data SeedAccount verifies (raw ECDSA over the digest, no EIP-191 path): `SeedUserOperation`
 * for user ops, `SeedMessage` for ERC-1271. Both live in the account's own domain (name, chain, account), so a
 * wallet that refuses to sign dApp typed data in that domain (the policy's protected domains) can't be made to
 * sign a user op or a 1271 signature for a page, and no `personal_sign` of any bytes is either.
 */
import { type Address, concat, type Hex, numberToHex, size } from 'viem'
import { SeedAaError } from '../errors.ts'

export function seedAccountSignatureDomain(account: Address, chainId: number) {
  return { name: 'SeedAccount', version: '1', chainId, verifyingContract: account } as const
}

export const seedUserOperationTypes = {
  SeedUserOperation: [
    { name: 'userOpHash', type: 'bytes32' },
    { name: 'entryPoint', type: 'address' },
    { name: 'validAfter', type: 'uint48' },
    { name: 'validUntil', type: 'uint48' },
  ],
} as const

/** Seconds a session op may stay valid: SeedAccount.MAX_SESSION_OP_VALIDITY (its gas budget's clock is validAfter). */
export const MAX_SESSION_OP_VALIDITY = 600

export type UserOperationValidity = { validAfter: number; validUntil: number }

export function seedUserOperationTypedData(parameters: {
  account: Address
  chainId: number
  entryPoint: Address
  userOpHash: Hex
  validity: UserOperationValidity
}) {
  const { account, chainId, entryPoint, userOpHash, validity } = parameters
  return {
    domain: seedAccountSignatureDomain(account, chainId),
    types: seedUserOperationTypes,
    primaryType: 'SeedUserOperation',
    message: { userOpHash, entryPoint, ...validity },
  } as const
}

/** The wrapper SeedAccount.isValidSignature expects: binds a digest to one account and chain. */
export function seedMessageTypedData(account: Address, chainId: number, hash: Hex) {
  return {
    domain: seedAccountSignatureDomain(account, chainId),
    types: { SeedMessage: [{ name: 'hash', type: 'bytes32' }] },
    primaryType: 'SeedMessage',
    message: { hash },
  } as const
}

/** A user-op signature as SeedAccount reads it: validAfter (6 bytes) ‖ validUntil (6 bytes) ‖ ECDSA (65 bytes). */
export function encodeUserOperationSignature(validity: UserOperationValidity, ecdsa: Hex): Hex {
  if (size(ecdsa) !== 65)
    throw new SeedAaError(`A user-op signature needs a 65-byte ECDSA signature, got ${size(ecdsa)}.`)
  return concat([numberToHex(validity.validAfter, { size: 6 }), numberToHex(validity.validUntil, { size: 6 }), ecdsa])
}
