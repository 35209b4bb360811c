/**
 * A chain's replicas: the agents that joined a replica bounty for its inbox (decision 0802), each with the
 * public RPC its registration file names (`rollup-rpc`) and its uptime from paid `uptime` feedback only
 * (the bounty's poster cites each settlement; unpaid feedback costs nothing to give, so it is no evidence),
 * and a head-lag probe: the replica's `eth_blockNumber` against the chain's own head.
 */
import {
  type DiscoveredAgent,
  readLimitedText,
  SERVICE_KINDS,
  servicesOfKind,
  summarizeFeedback,
} from '@seed/contracts'
import { type Address, createPublicClient, http } from 'viem'
import { agentDetail, agentReputation } from './agents.ts'
import type { BountyView } from './bounties.ts'
import type { Network } from './network.ts'

/** The tag the bounty poster's reviews carry (`uptime` 100 per settlement, 0 for a miss). */
export const UPTIME_TAG = 'uptime'

export type Replica = {
  agentId: bigint
  agent: DiscoveredAgent | null
  bountyIds: bigint[]
  rpcUrl: string | undefined
  uptime: ReturnType<typeof summarizeFeedback>
}

/** The operators still in a replica bounty for `inbox`, one row per agent however many bounties it joined. */
export function replicaOperators(bounties: readonly BountyView[], inbox: Address) {
  const operators = new Map<bigint, bigint[]>()
  for (const b of bounties) {
    if (b.kind !== 'replica' || b.inbox.toLowerCase() !== inbox.toLowerCase()) continue
    for (const slot of b.operatorSlots) {
      if (slot.closed) continue
      operators.set(slot.agentId, [...(operators.get(slot.agentId) ?? []), b.bountyId])
    }
  }
  return [...operators].map(([agentId, bountyIds]) => ({ agentId, bountyIds }))
}

export async function listReplicas(network: Network, bounties: readonly BountyView[], inbox: Address) {
  return Promise.all(
    replicaOperators(bounties, inbox).map(async ({ agentId, bountyIds }): Promise<Replica> => {
      const agent = await agentDetail(network, agentId)
      const reputation = agent ? await agentReputation(network, agent) : undefined
      const paidUptime = (reputation?.entries ?? []).filter((c) => c.check.paid && c.entry.tag1 === UPTIME_TAG)
      return {
        agentId,
        agent,
        bountyIds,
        rpcUrl: agent?.file ? servicesOfKind(agent.file, SERVICE_KINDS.rollupRpc)[0]?.endpoint : undefined,
        uptime: summarizeFeedback(paidUptime.map((c) => c.entry)),
      }
    }),
  )
}

/** An `eth_blockNumber` answer is tens of bytes: a replica that sends more is not read further. */
export const MAX_LAG_ANSWER_BYTES = 4 * 1024

const boundedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init)
  return new Response(await readLimitedText(res, MAX_LAG_ANSWER_BYTES), { status: res.status, headers: res.headers })
}

/**
 * How far the replica's head is behind `head` (negative: ahead). The URL comes from an untrusted file: only
 * an http(s) or ws(s) endpoint is asked, once, for five seconds at most, and its answer is read up to
 * `MAX_LAG_ANSWER_BYTES` (an endless answer costs the visitor's tab no memory).
 */
export async function probeLag(rpcUrl: string, head: bigint): Promise<number> {
  if (!/^(https?|wss?):\/\/[^\s]+$/.test(rpcUrl)) throw new Error('not an http(s) or ws(s) URL')
  const client = createPublicClient({
    transport: http(rpcUrl.replace(/^ws/, 'http'), { timeout: 5_000, retryCount: 0, fetchFn: boundedFetch }),
  })
  const replicaHead = await client.getBlockNumber({ cacheTime: 0 })
  return Number(head - replicaHead)
}
