/**
 * The poster's automatic feedback on a slot (decision 0802), always backed by a settlement of this bounty
 * as ERC-8004 `proofOfPayment` (readers count only such feedback, one entry per payment):
 * - each settlement (`EpochsPaid`) gets `uptime` 100 / `reachable`: the epochs it paid were served;
 * - a miss gets `uptime` 0 tagged with what failed (`reachable`, `signature`, `stateRoot`,
 *   `blocktimeFreshness`, `validationResponse`, `outputRoot`, `pinnedContent`: probeResult.ts), citing the
 *   slot's latest settlement: if that settlement's praise was already given, it is revoked first (a revoked
 *   entry releases its payment): the paid period is judged by how it ended. A slot never settled has no
 *   payment to cite, so its miss is published unbacked (listed, not counted).
 */
import {
  agentRegistryId,
  BountyError,
  encodeFeedbackFile,
  giveFeedbackCall,
  ReputationRegistryAbi,
  revokeFeedbackCall,
  SeedBountyEscrowAbi,
} from '@seed/contracts'
import { type Account, type Address, type Chain, type Client, type Hash, keccak256, type Transport } from 'viem'
import { getContractEvents, sendTransaction, waitForTransactionReceipt } from 'viem/actions'
import type { PublishFile } from './ipfsPublisher.ts'
import type { ProbeMiss } from './probeResult.ts'

/** What the poster remembers of a slot's feedback (persist it with the rest of its ledger). */
export type FeedbackLedger = { reviewed: Record<Hash, { feedbackIndex: bigint; value: bigint }> }

export type BountyFeedbackParameters = {
  escrow: Address
  identity: Address
  reputation: Address
  bountyId: bigint
  agentId: bigint
  /** The agent's wallet (the settlements' payee). */
  payee: Address
  endpoint?: string
  publish: PublishFile
  ledger: FeedbackLedger
  fromBlock?: bigint
}

/** Gives `uptime` 100 for each settlement of the slot not reviewed yet; returns the settlements reviewed. */
export async function reviewSettlements(
  client: Client<Transport, Chain, Account>,
  p: BountyFeedbackParameters,
): Promise<Hash[]> {
  const fresh = (await settlementsOf(client, p)).filter((tx) => !p.ledger.reviewed[tx])
  for (const tx of fresh) await give(client, p, { tx, value: 100n, tag2: 'reachable' })
  return fresh
}

/** Gives `uptime` 0 for a missed probe, backed by the slot's latest settlement when there is one. */
export async function reportMiss(
  client: Client<Transport, Chain, Account>,
  p: BountyFeedbackParameters & { miss: ProbeMiss },
): Promise<{ tx?: Hash; revoked?: bigint }> {
  const tx = (await settlementsOf(client, p)).at(-1)
  const earlier = tx && p.ledger.reviewed[tx]
  if (earlier?.value === 0n) return { tx } // this paid period already carries a miss
  if (earlier)
    await send(client, revokeFeedbackCall(p.reputation, { agentId: p.agentId, feedbackIndex: earlier.feedbackIndex }))
  await give(client, p, { tx, value: 0n, tag2: p.miss })
  return { tx, revoked: earlier?.feedbackIndex }
}

async function settlementsOf(client: Client<Transport, Chain, Account>, p: BountyFeedbackParameters) {
  const logs = await getContractEvents(client, {
    address: p.escrow,
    abi: SeedBountyEscrowAbi,
    eventName: 'EpochsPaid',
    args: { bountyId: p.bountyId, agentId: p.agentId, payer: client.account.address },
    fromBlock: p.fromBlock ?? 0n,
    strict: true,
  })
  return logs.map((log) => log.transactionHash)
}

async function give(
  client: Client<Transport, Chain, Account>,
  p: BountyFeedbackParameters,
  f: { tx: Hash | undefined; value: bigint; tag2: string },
) {
  const file = encodeFeedbackFile({
    agentRegistry: agentRegistryId(client.chain.id, p.identity),
    agentId: Number(p.agentId),
    clientAddress: `eip155:${client.chain.id}:${client.account.address}`,
    createdAt: new Date().toISOString(),
    value: f.value.toString(),
    valueDecimals: 0,
    tag1: 'uptime',
    tag2: f.tag2,
    endpoint: p.endpoint,
    ...(f.tx && {
      proofOfPayment: {
        fromAddress: client.account.address,
        toAddress: p.payee,
        chainId: String(client.chain.id),
        txHash: f.tx,
      },
    }),
  })
  const feedbackURI = await p.publish(file)
  const receipt = await send(
    client,
    giveFeedbackCall(p.reputation, {
      agentId: p.agentId,
      value: f.value,
      valueDecimals: 0,
      tag1: 'uptime',
      tag2: f.tag2,
      endpoint: p.endpoint,
      feedbackURI,
      feedbackHash: keccak256(file),
    }),
  )
  const [log] = await getContractEvents(client, {
    address: p.reputation,
    abi: ReputationRegistryAbi,
    eventName: 'NewFeedback',
    args: { agentId: p.agentId, clientAddress: client.account.address },
    blockHash: receipt.blockHash,
    strict: true,
  })
  if (f.tx && log) p.ledger.reviewed[f.tx] = { feedbackIndex: BigInt(log.args.feedbackIndex), value: f.value }
}

async function send(client: Client<Transport, Chain, Account>, call: { to: Address; data: `0x${string}` }) {
  const hash = await sendTransaction(client, { ...call, account: client.account, chain: client.chain })
  const receipt = await waitForTransactionReceipt(client, { hash })
  if (receipt.status !== 'success') throw new BountyError('the feedback transaction reverted', { details: hash })
  return receipt
}
