/**
 * The agent's handle on its smart account: a SeedSmartAccount plus the bundler client it sends through,
 * with the devnet/Pimlico fee oracle (`pimlico_getUserOperationGasPrice`) wired in.
 */
import type { Address, Chain, Client, LocalAccount, PublicClient, Transport } from 'viem'
import { http } from 'viem'
import { type BundlerClient, createBundlerClient, type PaymasterActions } from 'viem/account-abstraction'
import { getUserOperationGasPrice } from './fees.ts'
import { type SeedSmartAccount, toSeedSmartAccount } from './toSeedSmartAccount.ts'

export type Paymaster = Pick<PaymasterActions, 'getPaymasterData'> &
  Partial<Pick<PaymasterActions, 'getPaymasterStubData'>>

export type AgentAccount = {
  account: SeedSmartAccount
  address: Address
  client: PublicClient
  bundler: BundlerClient<Transport, Chain | undefined, SeedSmartAccount>
  /** Default paymaster for sendCalls (none = the account pays from its EntryPoint deposit / balance). */
  paymaster: Paymaster | undefined
  /** Set while the op that deploys the account is in flight, so concurrent first ops don't all carry initCode. */
  deploying: Promise<void> | undefined
}

export type CreateAgentAccountParameters = {
  factoryAddress: Address
  bundlerUrl?: string
  bundlerTransport?: Transport
  owner?: LocalAccount
  sessionKey?: LocalAccount
  ownerAddress?: Address
  address?: Address
  salt?: bigint
  paymaster?: Paymaster
  pollingInterval?: number
}

export async function createAgentAccount(
  client: PublicClient | Client<Transport, Chain>,
  parameters: CreateAgentAccountParameters,
): Promise<AgentAccount> {
  const publicClient = client as PublicClient
  const account = await toSeedSmartAccount({ client: publicClient, ...parameters })
  const transport = parameters.bundlerTransport ?? http(parameters.bundlerUrl)
  const bundler = createBundlerClient({
    account,
    client: publicClient,
    transport,
    pollingInterval: parameters.pollingInterval ?? 100,
    userOperation: { estimateFeesPerGas: async ({ bundlerClient }) => getUserOperationGasPrice(bundlerClient) },
  }) as AgentAccount['bundler']
  return {
    account,
    address: account.address,
    client: publicClient,
    bundler,
    paymaster: parameters.paymaster,
    deploying: undefined,
  }
}
