/**
 * Every agent registered in an identity registry, from its `Registered` logs, with its identity as it is
 * now (URI updates and transfers included). The caller bounds the scan with `fromBlock` on a long chain.
 */
import type { Address, Chain, Client, Transport } from 'viem'
import { getContractEvents } from 'viem/actions'
import { IdentityRegistryAbi } from '../generated/index.ts'
import { type AgentIdentity, readAgent } from './readAgent.ts'

export async function listAgents(
  client: Client<Transport, Chain | undefined>,
  { identity, fromBlock = 0n }: { identity: Address; fromBlock?: bigint },
): Promise<AgentIdentity[]> {
  const logs = await getContractEvents(client, {
    address: identity,
    abi: IdentityRegistryAbi,
    eventName: 'Registered',
    fromBlock,
    strict: true,
  })
  const ids = logs.map((log) => log.args.agentId)
  // A burned agent (ownerOf reverts) is simply not listed.
  const agents = await Promise.all(
    ids.map((agentId) => readAgent(client, { identity, agentId }).catch(() => undefined)),
  )
  return agents.filter((a): a is AgentIdentity => a !== undefined)
}
