/**
 * The slots of a bounty this wallet posted: who joined (the escrow's `BountyJoined`), and where each
 * operator answers, from its ERC-8004 registration file: `bounty-operator` (its probe and voucher endpoint)
 * and `rollup-rpc` (its replica's JSON-RPC, added to the wallet's replica list so reads can route there,
 * decision 0803).
 */
import { type Bounty, inspectAgent, readAgent, SeedBountyEscrowAbi, servicesOfKind } from '@seed/contracts'
import type { Chain, Client, Transport } from 'viem'
import { getBlock, getContractEvents } from 'viem/actions'
import type { BountySlotRecord, PostedBounty } from '../../core/records.ts'
import { fetchAgentFile } from '../agents/files.ts'
import { activeRegistries } from '../agents/registries.ts'

/** The registration-file service an operator answers probes and takes vouchers on (`seed-operator run`). */
export const BOUNTY_OPERATOR_SERVICE = 'bounty-operator'
const ROLLUP_RPC_SERVICE = 'rollup-rpc'

/** The bounty's slots, those already known kept as they are; new joiners added with their endpoints. */
export async function refreshSlots(
  l1: Client<Transport, Chain>,
  posted: PostedBounty,
  bounty: Bounty,
): Promise<Record<string, BountySlotRecord>> {
  const slots = { ...posted.slots }
  // Every known slot resolved and the bounty full: nothing new can have joined.
  const unresolved = Object.values(slots).some((s) => !s.operatorUrl)
  if (Object.keys(slots).length >= bounty.operators && !unresolved) return slots
  const joins = await getContractEvents(l1, {
    address: posted.escrow,
    abi: SeedBountyEscrowAbi,
    eventName: 'BountyJoined',
    args: { bountyId: bounty.bountyId },
    fromBlock: BigInt(posted.fromBlock),
    strict: true,
  })
  for (const join of joins) {
    const agentId = join.args.agentId.toString()
    const known = slots[agentId]
    if (known?.operatorUrl) continue
    const endpoints = await operatorEndpoints(l1, join.args.agentId).catch((error: Error) => ({
      problem: `its registration file: ${error.message}`,
    }))
    const joinedAt = known?.joinedAt ?? Number((await getBlock(l1, { blockHash: join.blockHash })).timestamp) * 1000
    slots[agentId] = {
      agentId,
      operator: join.args.operator,
      payee: join.args.payee,
      joinedAt,
      probes: 0,
      passed: 0,
      reviewed: {},
      ...known,
      ...endpoints,
    }
  }
  return slots
}

async function operatorEndpoints(
  l1: Client<Transport, Chain>,
  agentId: bigint,
): Promise<Pick<BountySlotRecord, 'operatorUrl' | 'rpcUrl' | 'problem'>> {
  const { identity } = await activeRegistries()
  const agent = await inspectAgent(await readAgent(l1, { identity, agentId }), {
    identity,
    chainId: l1.chain.id,
    fetchFile: (uri: string) => fetchAgentFile(uri),
  })
  if (!agent.file) return { problem: `agent #${agentId} has no readable registration file` }
  const operatorUrl = httpUrl(servicesOfKind(agent.file, BOUNTY_OPERATOR_SERVICE)[0]?.endpoint)
  const rpcUrl = httpUrl(servicesOfKind(agent.file, ROLLUP_RPC_SERVICE)[0]?.endpoint)
  if (!operatorUrl) return { problem: `agent #${agentId} lists no ${BOUNTY_OPERATOR_SERVICE} service`, rpcUrl }
  return { operatorUrl, ...(rpcUrl ? { rpcUrl } : {}), problem: undefined }
}

/** Only http(s): the endpoint comes from a stranger's file. */
function httpUrl(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined
  try {
    const url = new URL(endpoint)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString().replace(/\/$/, '') : undefined
  } catch {
    return undefined
  }
}
