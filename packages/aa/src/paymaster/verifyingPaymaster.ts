/**
 * Sponsorship through SeedVerifyingPaymaster (eth-infinitism v0.7 VerifyingPaymaster): the sponsor signs
 * getHash(op, validUntil, validAfter), computed here exactly as the contract does, so no RPC round trip.
 * In the devnet the sponsor key is the `sponsor` role; in production it would sit behind a service.
 */
import {
  type Address,
  concat,
  encodeAbiParameters,
  type Hex,
  keccak256,
  type LocalAccount,
  type PublicClient,
  pad,
  toHex,
} from 'viem'
import type { GetPaymasterDataParameters } from 'viem/account-abstraction'
import { privateKeyToAccount } from 'viem/accounts'
import type { Paymaster } from '../account/createAgentAccount.ts'

// The contract uses ECDSA.recover, which reverts on malformed signatures: the stub must be a real one
// (of a throwaway key) so estimation takes the same path as the final op.
const stubSigner = privateKeyToAccount(keccak256(toHex('seed verifying paymaster stub')))
let stubSignature: Promise<Hex> | undefined
const getStubSignature = () => {
  stubSignature ??= stubSigner.signMessage({ message: { raw: keccak256('0x') } })
  return stubSignature
}

export type VerifyingPaymasterParameters = {
  address: Address
  sponsor: LocalAccount
  /** Reads the chain clock for the validity window (chain time may run ahead of wall time on a devnet). */
  client: PublicClient
  validForSeconds?: number
  verificationGasLimit?: bigint
}

const packUints = (high: bigint, low: bigint) => concat([pad(toHex(high), { size: 16 }), pad(toHex(low), { size: 16 })])

export type SponsoredOperation = {
  sender: Address
  nonce: bigint
  factory?: Address | undefined
  factoryData?: Hex | undefined
  callData: Hex
  callGasLimit?: bigint | undefined
  verificationGasLimit?: bigint | undefined
  preVerificationGas?: bigint | undefined
  maxFeePerGas?: bigint | undefined
  maxPriorityFeePerGas?: bigint | undefined
  paymasterVerificationGasLimit: bigint
  paymasterPostOpGasLimit: bigint
  chainId: number
}

export function getVerifyingPaymasterHash(
  op: SponsoredOperation,
  paymaster: Address,
  validUntil: number,
  validAfter: number,
): Hex {
  const initCode = op.factory && op.factoryData ? concat([op.factory, op.factoryData]) : '0x'
  return keccak256(
    encodeAbiParameters(
      [
        { type: 'address' },
        { type: 'uint256' },
        { type: 'bytes32' },
        { type: 'bytes32' },
        { type: 'bytes32' },
        { type: 'uint256' },
        { type: 'uint256' },
        { type: 'bytes32' },
        { type: 'uint256' },
        { type: 'address' },
        { type: 'uint48' },
        { type: 'uint48' },
      ],
      [
        op.sender,
        op.nonce,
        keccak256(initCode),
        keccak256(op.callData),
        packUints(op.verificationGasLimit ?? 0n, op.callGasLimit ?? 0n),
        BigInt(packUints(op.paymasterVerificationGasLimit, op.paymasterPostOpGasLimit)),
        op.preVerificationGas ?? 0n,
        packUints(op.maxPriorityFeePerGas ?? 0n, op.maxFeePerGas ?? 0n),
        BigInt(op.chainId),
        paymaster,
        validUntil,
        validAfter,
      ],
    ),
  )
}

export function verifyingPaymaster(parameters: VerifyingPaymasterParameters): Paymaster {
  const { address, sponsor, client, validForSeconds = 600, verificationGasLimit = 100_000n } = parameters
  const window = (validUntil: number, validAfter: number) =>
    encodeAbiParameters([{ type: 'uint48' }, { type: 'uint48' }], [validUntil, validAfter])
  const gas = { paymasterVerificationGasLimit: verificationGasLimit, paymasterPostOpGasLimit: 0n }
  return {
    async getPaymasterStubData() {
      return { paymaster: address, paymasterData: concat([window(0, 0), await getStubSignature()]), ...gas }
    },
    async getPaymasterData(op) {
      const { timestamp } = await client.getBlock({ blockTag: 'latest' })
      const validUntil = Number(timestamp) + validForSeconds
      const hash = getVerifyingPaymasterHash(
        { ...(op as GetPaymasterDataParameters & SponsoredOperation), ...gas },
        address,
        validUntil,
        0,
      )
      const signature = await sponsor.signMessage({ message: { raw: hash } })
      return { paymaster: address, paymasterData: concat([window(validUntil, 0), signature]), ...gas }
    },
  }
}
