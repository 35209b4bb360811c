/**
 * SeedAccount as a viem SmartAccount (EntryPoint v0.7), mirroring permissionless' toSimpleSmartAccount.
 * Signs user ops with the owner key or with a session key, as EIP-712 `SeedUserOperation` typed data (never a
 * message signature); in session mode every batch is wrapped in `executeAsSession(sessionKey, calls)`, the only
 * call the contract accepts from a session key, and each op carries a validity window of at most
 * MAX_SESSION_OP_VALIDITY from the chain's current time (the clock of the session's gas budget).
 */
import { SeedAccountAbi, SeedAccountFactoryAbi } from '@seed/contracts'
import {
  type Address,
  type Chain,
  type Client,
  decodeFunctionData,
  encodeFunctionData,
  type Hex,
  hashMessage,
  hashTypedData,
  type LocalAccount,
  type Transport,
  type TypedDataDefinition,
} from 'viem'
import {
  entryPoint07Abi,
  entryPoint07Address,
  getUserOperationHash,
  type SmartAccount,
  type SmartAccountImplementation,
  toSmartAccount,
} from 'viem/account-abstraction'
import { getBlock, getChainId, readContract } from 'viem/actions'
import { SeedAaError } from '../errors.ts'
import {
  encodeUserOperationSignature,
  MAX_SESSION_OP_VALIDITY,
  seedMessageTypedData,
  seedUserOperationTypedData,
  type UserOperationValidity,
} from './signatureTypedData.ts'

export class SessionKeyCannotSignError extends SeedAaError {
  override name = 'SessionKeyCannotSignError'
  constructor() {
    super('Session keys cannot produce ERC-1271 signatures: only the owner key signs messages for the account.')
  }
}

export type SeedSmartAccountParameters = {
  client: Client<Transport, Chain | undefined>
  factoryAddress: Address
  /** Signs user ops when no session key is given; required to sign messages (ERC-1271). */
  owner?: LocalAccount
  /** When set, user ops are signed by this key and scoped by its on-chain session. */
  sessionKey?: LocalAccount
  /** The owner's address, when only a session key is held (to derive the account address). */
  ownerAddress?: Address
  /** Known account address (skips the factory lookup). */
  address?: Address
  salt?: bigint
}

export type SeedSmartAccount = SmartAccount<SmartAccountImplementation<typeof entryPoint07Abi, '0.7'>> & {
  signer: 'owner' | 'session'
  ownerAddress: Address
}

type Call = { to: Address; value?: bigint | undefined; data?: Hex | undefined }
const toStruct = (calls: readonly Call[]) =>
  calls.map((c) => ({ target: c.to, value: c.value ?? 0n, data: c.data ?? ('0x' as Hex) }))

/** 65 bytes that recover to no key: lets the bundler estimate validation without a real signature. */
const STUB_ECDSA =
  '0xfffffffffffffffffffffffffffffff0000000000000000000000000000000007aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1c' as const

export async function toSeedSmartAccount(parameters: SeedSmartAccountParameters): Promise<SeedSmartAccount> {
  const { client, factoryAddress, owner, sessionKey, salt = 0n } = parameters
  const ownerAddress = owner?.address ?? parameters.ownerAddress
  if (!ownerAddress) throw new SeedAaError('toSeedSmartAccount needs `owner` or `ownerAddress`.')
  const signer = sessionKey ?? owner
  if (!signer) throw new SeedAaError('toSeedSmartAccount needs an `owner` or a `sessionKey` to sign with.')
  const entryPoint = { address: entryPoint07Address, abi: entryPoint07Abi, version: '0.7' as const }

  const address =
    parameters.address ??
    (await readContract(client, {
      address: factoryAddress,
      abi: SeedAccountFactoryAbi,
      functionName: 'getAddress',
      args: [ownerAddress, salt],
    }))
  let chainId: number | undefined
  const getMemoizedChainId = async () => {
    chainId ??= client.chain?.id ?? (await getChainId(client))
    return chainId
  }
  const ownerSign = async (hash: Hex) => {
    if (!owner) throw new SessionKeyCannotSignError()
    return owner.signTypedData(seedMessageTypedData(address, await getMemoizedChainId(), hash))
  }
  /** Owner ops don't expire; session ops are valid from the chain's current time for MAX_SESSION_OP_VALIDITY. */
  const opValidity = async (): Promise<UserOperationValidity> => {
    if (!sessionKey) return { validAfter: 0, validUntil: 0 }
    const { timestamp } = await getBlock(client)
    return { validAfter: Number(timestamp), validUntil: Number(timestamp) + MAX_SESSION_OP_VALIDITY }
  }

  const account = await toSmartAccount({
    // viem's implementation type wants a narrower account generic than a plain public client has.
    client: client as never,
    entryPoint,
    extend: { signer: sessionKey ? ('session' as const) : ('owner' as const), ownerAddress },
    async getAddress() {
      return address
    },
    async getFactoryArgs() {
      return {
        factory: factoryAddress,
        factoryData: encodeFunctionData({
          abi: SeedAccountFactoryAbi,
          functionName: 'createAccount',
          args: [ownerAddress, salt],
        }),
      }
    },
    async encodeCalls(calls) {
      if (sessionKey) {
        return encodeFunctionData({
          abi: SeedAccountAbi,
          functionName: 'executeAsSession',
          args: [sessionKey.address, toStruct(calls)],
        })
      }
      if (calls.length === 1) {
        const [call] = calls as [Call]
        return encodeFunctionData({
          abi: SeedAccountAbi,
          functionName: 'execute',
          args: [call.to, call.value ?? 0n, call.data ?? '0x'],
        })
      }
      return encodeFunctionData({ abi: SeedAccountAbi, functionName: 'executeBatch', args: [toStruct(calls)] })
    },
    async decodeCalls(callData) {
      const decoded = decodeFunctionData({ abi: SeedAccountAbi, data: callData })
      if (decoded.functionName === 'execute') {
        const [to, value, data] = decoded.args
        return [{ to, value, data }]
      }
      if (decoded.functionName === 'executeBatch' || decoded.functionName === 'executeAsSession') {
        const calls = decoded.functionName === 'executeBatch' ? decoded.args[0] : decoded.args[1]
        return calls.map((c) => ({ to: c.target, value: c.value, data: c.data }))
      }
      throw new SeedAaError(`Not a SeedAccount execution call: ${decoded.functionName}`)
    },
    async getStubSignature() {
      return encodeUserOperationSignature(await opValidity(), STUB_ECDSA)
    },
    async sign({ hash }) {
      return ownerSign(hash)
    },
    async signMessage({ message }) {
      return ownerSign(hashMessage(message))
    },
    async signTypedData(typedData) {
      return ownerSign(hashTypedData(typedData as TypedDataDefinition))
    },
    async signUserOperation(parameters) {
      const { chainId = await getMemoizedChainId(), ...userOperation } = parameters
      const userOpHash = getUserOperationHash({
        userOperation: { ...userOperation, sender: userOperation.sender ?? address, signature: '0x' },
        entryPointAddress: entryPoint.address,
        entryPointVersion: '0.7',
        chainId,
      })
      const validity = await opValidity()
      const typedData = seedUserOperationTypedData({
        account: address,
        chainId,
        entryPoint: entryPoint.address,
        userOpHash,
        validity,
      })
      return encodeUserOperationSignature(validity, await signer.signTypedData(typedData))
    },
  })
  return account as unknown as SeedSmartAccount
}
