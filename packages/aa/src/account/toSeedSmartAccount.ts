/**
 * SeedAccount as a viem SmartAccount (EntryPoint v0.7), mirroring permissionless' toSimpleSmartAccount.
 * Signs user ops with the owner key or with a session key; in session mode every batch is wrapped in
 * `executeAsSession(sessionKey, calls)`, the only call the contract accepts from a session key.
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
import { getChainId, readContract } from 'viem/actions'
import { SeedAaError } from '../errors.ts'

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

/** The EIP-712 wrapper SeedAccount.isValidSignature expects: binds a digest to one account and chain. */
export function seedMessageTypedData(account: Address, chainId: number, hash: Hex) {
  return {
    domain: { name: 'SeedAccount', version: '1', chainId, verifyingContract: account },
    types: { SeedMessage: [{ name: 'hash', type: 'bytes32' }] },
    primaryType: 'SeedMessage',
    message: { hash },
  } as const
}

/** 65 bytes that recover to no key: lets the bundler estimate validation without a real signature. */
const STUB_SIGNATURE =
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
      return STUB_SIGNATURE
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
      const hash = getUserOperationHash({
        userOperation: { ...userOperation, sender: userOperation.sender ?? address, signature: '0x' },
        entryPointAddress: entryPoint.address,
        entryPointVersion: '0.7',
        chainId,
      })
      return signer.signMessage({ message: { raw: hash } })
    },
  })
  return account as unknown as SeedSmartAccount
}
