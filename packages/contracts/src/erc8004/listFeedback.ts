/**
 * Feedback entries with what only the logs keep (endpoint, feedbackURI, feedbackHash), their revocation
 * and the responses appended to them: for one agent (received) or from one client (given).
 */
import type { Address, Chain, Client, GetContractEventsReturnType, Hex, Transport } from 'viem'
import { getContractEvents } from 'viem/actions'
import { ReputationRegistryAbi } from '../generated/index.ts'

export type FeedbackEntry = {
  agentId: bigint
  clientAddress: Address
  feedbackIndex: bigint
  value: bigint
  valueDecimals: number
  tag1: string
  tag2: string
  endpoint: string
  feedbackURI: string
  feedbackHash: Hex
  isRevoked: boolean
  responses: { responder: Address; responseURI: string; responseHash: Hex }[]
}

export async function listFeedback(
  client: Client<Transport, Chain | undefined>,
  p: { reputation: Address; agentId?: bigint; clientAddress?: Address; fromBlock?: bigint },
): Promise<FeedbackEntry[]> {
  const filter = { agentId: p.agentId, clientAddress: p.clientAddress }
  const common = {
    address: p.reputation,
    abi: ReputationRegistryAbi,
    fromBlock: p.fromBlock ?? 0n,
    strict: true,
  } as const
  const [given, revoked, responses] = await Promise.all([
    getContractEvents(client, { ...common, eventName: 'NewFeedback', args: filter }),
    getContractEvents(client, { ...common, eventName: 'FeedbackRevoked', args: filter }),
    getContractEvents(client, { ...common, eventName: 'ResponseAppended', args: filter }),
  ])
  return joinFeedback({ given, revoked, responses })
}

type Logs<E extends 'NewFeedback' | 'FeedbackRevoked' | 'ResponseAppended'> = Pick<
  GetContractEventsReturnType<typeof ReputationRegistryAbi, E, true>[number],
  'args'
>[]

/**
 * The entries the three events make together: for a reader that fetched the logs itself (a web page reads
 * them in bounded block windows). Revocations and responses come after their feedback, so logs from one
 * block on name every revocation and response of the feedback given from that block on.
 */
export function joinFeedback({
  given,
  revoked,
  responses,
}: {
  given: Logs<'NewFeedback'>
  revoked: Logs<'FeedbackRevoked'>
  responses: Logs<'ResponseAppended'>
}): FeedbackEntry[] {
  const key = (agentId: bigint, client: Address, index: bigint) => `${agentId}:${client.toLowerCase()}:${index}`
  const revokedKeys = new Set(revoked.map(({ args }) => key(args.agentId, args.clientAddress, args.feedbackIndex)))
  return given.map(({ args }) => {
    const k = key(args.agentId, args.clientAddress, args.feedbackIndex)
    return {
      agentId: args.agentId,
      clientAddress: args.clientAddress,
      feedbackIndex: args.feedbackIndex,
      value: args.value,
      valueDecimals: args.valueDecimals,
      tag1: args.tag1,
      tag2: args.tag2,
      endpoint: args.endpoint,
      feedbackURI: args.feedbackURI,
      feedbackHash: args.feedbackHash,
      isRevoked: revokedKeys.has(k),
      responses: responses
        .filter((r) => key(r.args.agentId, r.args.clientAddress, r.args.feedbackIndex) === k)
        .map((r) => ({
          responder: r.args.responder,
          responseURI: r.args.responseURI,
          responseHash: r.args.responseHash,
        })),
    }
  })
}

/**
 * Count and mean of entries, as the registry's getSummary computes them (unrevoked only; the mean in the
 * largest decimals among them): for summaries over a subset the registry cannot select, such as the
 * entries whose proof of payment verified.
 */
export function summarizeFeedback(entries: readonly Pick<FeedbackEntry, 'value' | 'valueDecimals' | 'isRevoked'>[]) {
  const counted = entries.filter((e) => !e.isRevoked)
  if (!counted.length) return { count: 0, value: 0n, valueDecimals: 0 }
  const valueDecimals = Math.max(...counted.map((e) => e.valueDecimals))
  const sum = counted.reduce((s, e) => s + e.value * 10n ** BigInt(valueDecimals - e.valueDecimals), 0n)
  return { count: counted.length, value: sum / BigInt(counted.length), valueDecimals }
}
