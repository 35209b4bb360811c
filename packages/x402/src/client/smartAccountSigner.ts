/**
 * An x402 `ClientEvmSigner` for the agent's SeedAccount: EIP-3009 authorisations are signed by the owner key
 * through the account's ERC-1271 wrapper (EIP-712 `SeedMessage(bytes32 hash)` bound to the account and chain,
 * see SeedAccount.replaySafeHash). While the account is not deployed on the payment's chain, the signature is
 * wrapped in ERC-6492 with the factory call, so the facilitator can deploy the account before settling.
 */

import { SeedAccountFactoryAbi } from '@seed/contracts'
import type { ClientEvmSigner } from '@x402/evm'
import {
  type Address,
  encodeFunctionData,
  type Hex,
  hashTypedData,
  type LocalAccount,
  type PublicClient,
  serializeErc6492Signature,
  type TypedDataDefinition,
} from 'viem'
import { SeedX402Error } from '../errors.ts'

export type SeedAccountSignerParameters = {
  /** The SeedAccount (its counterfactual address if not deployed yet). */
  address: Address
  /** Owner key: only the owner produces ERC-1271 signatures (session keys cannot). */
  owner: LocalAccount
  factory: Address
  salt?: bigint
  /** One public client per chain the account pays on (to know whether it is deployed there). */
  clients: readonly PublicClient[]
}

/** The EIP-712 wrapper SeedAccount.isValidSignature recovers the owner from. */
export function seedMessageTypedData(account: Address, chainId: number, hash: Hex) {
  return {
    domain: { name: 'SeedAccount', version: '1', chainId, verifyingContract: account },
    types: { SeedMessage: [{ name: 'hash', type: 'bytes32' }] },
    primaryType: 'SeedMessage',
    message: { hash },
  } as const
}

export function toSeedAccountSigner(parameters: SeedAccountSignerParameters): ClientEvmSigner & {
  kind: 'seed-account'
} {
  const { address, owner, factory, salt = 0n } = parameters
  const deployed = new Set<number>()
  const clientFor = (chainId: number) => {
    const client = parameters.clients.find((c) => c.chain?.id === chainId)
    if (!client) throw new SeedX402Error(`no client for chain ${chainId}: cannot pay there with the smart account`)
    return client
  }
  const isDeployed = async (chainId: number) => {
    if (deployed.has(chainId)) return true
    const code = await clientFor(chainId).getCode({ address })
    if (code && code !== '0x') deployed.add(chainId)
    return deployed.has(chainId)
  }
  return {
    kind: 'seed-account',
    address,
    async signTypedData(typedData) {
      const chainId = Number(typedData.domain.chainId)
      if (!Number.isSafeInteger(chainId)) throw new SeedX402Error('typed data has no domain.chainId')
      const digest = hashTypedData(typedData as unknown as TypedDataDefinition)
      const signature = await owner.signTypedData(seedMessageTypedData(address, chainId, digest))
      if (await isDeployed(chainId)) return signature
      return serializeErc6492Signature({
        address: factory,
        data: encodeFunctionData({
          abi: SeedAccountFactoryAbi,
          functionName: 'createAccount',
          args: [owner.address, salt],
        }),
        signature,
      })
    },
  }
}
