/** One agent's identity as the registry has it now: owner, agentURI and the proven wallet. */
import type { Address, Chain, Client, Transport } from 'viem'
import { readContract } from 'viem/actions'
import { IdentityRegistryAbi } from '../generated/index.ts'

export type AgentIdentity = { agentId: bigint; owner: Address; agentURI: string; agentWallet: Address }

export async function readAgent(
  client: Client<Transport, Chain | undefined>,
  { identity, agentId }: { identity: Address; agentId: bigint },
): Promise<AgentIdentity> {
  const read = <F extends 'ownerOf' | 'tokenURI' | 'getAgentWallet'>(functionName: F) =>
    readContract(client, { address: identity, abi: IdentityRegistryAbi, functionName, args: [agentId] } as never)
  const [owner, agentURI, agentWallet] = await Promise.all([read('ownerOf'), read('tokenURI'), read('getAgentWallet')])
  return { agentId, owner: owner as Address, agentURI: agentURI as string, agentWallet: agentWallet as Address }
}
