/**
 * Finds agents by service kind and says how far each can be trusted: the registration file is read
 * through `fetchFile` (the caller's IPFS path: its Helia node, a peer's gateway), its bytes must hash to
 * the CID the agentURI names, it must name this agent in its `registrations`, and the agent's wallet must
 * be one the registry accepted with a proof (any wallet on record passed `setAgentWallet`'s check or is the
 * registrant itself; a cleared one after a transfer is not). Anything short of that is listed as
 * unverified, with why, never as trusted.
 */
import type { Address, Chain, Client, Transport } from 'viem'
import { zeroAddress } from 'viem'
import { cidOfUri, contentMatchesCid } from './ipfsCid.ts'
import { listAgents } from './listAgents.ts'
import type { AgentIdentity } from './readAgent.ts'
import {
  type AgentRegistrationFile,
  parseRegistrationFile,
  registrationNames,
  servicesOfKind,
} from './registrationFile.ts'
import { agentRegistryId } from './registries.ts'

export type DiscoveredAgent = AgentIdentity & {
  file?: AgentRegistrationFile
  verified: boolean
  /** Why an agent is unverified (empty when verified). */
  problems: string[]
}

export type FetchFile = (uri: string) => Promise<Uint8Array>

export async function inspectAgent(
  agent: AgentIdentity,
  p: { chainId: number; identity: Address; fetchFile: FetchFile },
): Promise<DiscoveredAgent> {
  const problems: string[] = []
  const cid = cidOfUri(agent.agentURI)
  if (!cid) problems.push('agentURI is not an ipfs:// CID')
  let file: AgentRegistrationFile | undefined
  try {
    const bytes = await p.fetchFile(agent.agentURI)
    if (cid && !contentMatchesCid(cid, bytes)) problems.push('the file does not match its CID')
    file = parseRegistrationFile(bytes)
    if (!registrationNames(file, agent.agentId, agentRegistryId(p.chainId, p.identity))) {
      problems.push('the file does not name this agent')
    }
  } catch (error) {
    problems.push(`file unreadable: ${(error as Error).message.split('\n')[0]}`)
  }
  if (agent.agentWallet === zeroAddress) problems.push('no proven wallet')
  return { ...agent, ...(file ? { file } : {}), verified: problems.length === 0, problems }
}

export async function discoverAgents(
  client: Client<Transport, Chain | undefined>,
  p: { chainId: number; identity: Address; kind?: string; fetchFile: FetchFile; fromBlock?: bigint },
): Promise<DiscoveredAgent[]> {
  const agents = await listAgents(client, { identity: p.identity, fromBlock: p.fromBlock })
  const inspected = await Promise.all(agents.map((agent) => inspectAgent(agent, p)))
  const { kind } = p
  return kind === undefined ? inspected : inspected.filter((a) => a.file && servicesOfKind(a.file, kind).length > 0)
}
