/**
 * Agents on the active network's identity registry, found by service kind and checked (decision 0801):
 * the file matches its CID, names the agent, and the agent has a proven wallet. Unchecked is shown as such.
 */
import { type AgentIdentity, type DiscoveredAgent, discoverAgents, inspectAgent, listAgents } from '@seed/contracts'
import { type Address, isAddressEqual } from 'viem'
import type { AgentView } from '../../core/protocol.ts'
import { l1Client } from '../account/clients.ts'
import { fetchAgentFile } from './files.ts'
import { activeRegistries } from './registries.ts'

export function agentView(agent: DiscoveredAgent): AgentView {
  return {
    agentId: agent.agentId.toString(),
    owner: agent.owner,
    agentURI: agent.agentURI,
    agentWallet: agent.agentWallet,
    ...(agent.file
      ? { name: agent.file.name, services: agent.file.services, x402Support: agent.file.x402Support }
      : {}),
    verified: agent.verified,
    problems: agent.problems,
  }
}

async function context() {
  const [client, { identity }] = await Promise.all([l1Client(), activeRegistries()])
  return { client, identity, chainId: client.chain.id, fetchFile: (uri: string) => fetchAgentFile(uri) }
}

/** Agents offering a service of `kind` (every agent when absent), each with its verification. */
export async function findAgents(kind?: string): Promise<AgentView[]> {
  const { client, ...p } = await context()
  return (await discoverAgents(client, { ...p, ...(kind ? { kind } : {}) })).map(agentView)
}

/** The identities `owner` holds (the wallet's own agent is the one its smart account owns), checked. */
export async function agentsOwnedBy(owner: Address): Promise<AgentView[]> {
  const { client, ...p } = await context()
  const owned = (await listAgents(client, { identity: p.identity })).filter((a: AgentIdentity) =>
    isAddressEqual(a.owner, owner),
  )
  return Promise.all(owned.map(async (agent) => agentView(await inspectAgent(agent, p))))
}
