/** EIP-3009 / EIP-2612 typed data for the devnet's Seed USD, shared by the aa tests (no devnet import). */
import type { Address, Hex } from 'viem'

export const usdDomain = (token: Address, chainId = 31337) =>
  ({ name: 'Seed USD', version: '2', chainId, verifyingContract: token }) as const

export const transferWithAuthorizationFields = [
  { name: 'from', type: 'address' },
  { name: 'to', type: 'address' },
  { name: 'value', type: 'uint256' },
  { name: 'validAfter', type: 'uint256' },
  { name: 'validBefore', type: 'uint256' },
  { name: 'nonce', type: 'bytes32' },
] as const

export type Authorization = {
  from: Address
  to: Address
  value: bigint
  validAfter: bigint
  validBefore: bigint
  nonce: Hex
}

export const transferWithAuthorization = (token: Address, message: Authorization) =>
  ({
    domain: usdDomain(token),
    types: { TransferWithAuthorization: transferWithAuthorizationFields },
    primaryType: 'TransferWithAuthorization',
    message,
  }) as const

export const randomNonce = () => `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex')}` as Hex
