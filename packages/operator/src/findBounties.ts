/**
 * `seed-operator find`: open bounties from the escrow's events, each with its poster's ERC-8004 identity
 * checked (decision 0801's discovery: the registration file read through an IPFS gateway and checked against
 * its CID, this registry and a wallet) and whether that file names the bounty's chain (`rollup-inbox`).
 * An operator decides whom to work for from this; an unverified poster is listed with the reasons.
 */
import {
  type Bounty,
  type BountyKind,
  type DiscoveredAgent,
  fetchIpfsFile,
  inspectAgent,
  listAgents,
  listBounties,
  servicesOfKind,
} from '@seed/contracts'
import { type Address, type Chain, type Client, isAddressEqual, type Transport } from 'viem'

export type FoundBounty = Bounty & {
  poster8004?: Pick<DiscoveredAgent, 'agentId' | 'verified' | 'problems'> & { servesInbox: boolean }
}

export async function findBounties(
  client: Client<Transport, Chain>,
  p: { escrow: Address; identity: Address; kind?: BountyKind; ipfsUrl?: string; fromBlock?: bigint },
): Promise<FoundBounty[]> {
  const [bounties, agents] = await Promise.all([
    listBounties(client, { escrow: p.escrow, kind: p.kind, openOnly: true, fromBlock: p.fromBlock }),
    listAgents(client, { identity: p.identity, fromBlock: p.fromBlock }),
  ])
  const fetchFile = (uri: string) =>
    p.ipfsUrl ? fetchIpfsFile(p.ipfsUrl, uri) : Promise.reject(new Error('no IPFS gateway given'))
  return Promise.all(
    bounties.map(async (bounty) => {
      const agent = agents.find(
        (a) => isAddressEqual(a.agentWallet, bounty.poster) || isAddressEqual(a.owner, bounty.poster),
      )
      if (!agent) return bounty
      const checked = await inspectAgent(agent, { chainId: client.chain.id, identity: p.identity, fetchFile })
      const inboxId = `eip155:${client.chain.id}:${bounty.inbox}`.toLowerCase()
      const servesInbox = Boolean(
        checked.file && servicesOfKind(checked.file, 'rollup-inbox').some((s) => s.endpoint.toLowerCase() === inboxId),
      )
      return {
        ...bounty,
        poster8004: { agentId: checked.agentId, verified: checked.verified, problems: checked.problems, servesInbox },
      }
    }),
  )
}
