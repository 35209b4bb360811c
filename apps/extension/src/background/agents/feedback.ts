/**
 * The wallet gives ERC-8004 feedback (decision 0801): the feedback file — with `proofOfPayment` when the
 * caller names the settlement transaction of its purchase (`x402.fetch`'s `payment.transaction`) — is
 * published like the registration file, and `giveFeedback` is the caller's send through the one action
 * pipeline. A named payment is checked first (it exists, and paid this agent's wallet from this account):
 * a proof that would not verify is refused rather than published.
 */
import type { FeedbackGiven, FeedbackParams } from '@seed/agent/api'
import {
  agentRegistryId,
  encodeFeedbackFile,
  type FeedbackFile,
  giveFeedbackCall,
  ReputationRegistryAbi,
  readAgent,
  verifyProofOfPayment,
} from '@seed/contracts'
import { bytesToHex, type Hash, isHex, keccak256, parseEventLogs } from 'viem'
import { ErrorCode, invalidParams, ProviderRpcError } from '../../core/errors.ts'
import { send } from '../../core/messenger.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import type { ResolvedCaller } from '../agent/caller.ts'
import { sendCalls } from '../agent/wallet.ts'
import { ensureOffscreen } from '../rollup/rollup.ts'
import { activeRegistries } from './registries.ts'

const text = (v: unknown, what: string, max: number) => {
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v.length > max)
    throw invalidParams(`agents.feedback: ${what}, at most ${max} characters`)
  return v
}

export function parseFeedbackParams(params: unknown): FeedbackParams {
  const p = (params ?? {}) as Record<string, unknown>
  if (typeof p.agentId !== 'string' || !/^\d{1,78}$/.test(p.agentId))
    throw invalidParams('agents.feedback: agentId, a decimal string')
  if (typeof p.value !== 'number' || !Number.isSafeInteger(p.value) || Math.abs(p.value) > 1e15)
    throw invalidParams('agents.feedback: value, an integer (with valueDecimals for a fraction)')
  const decimals = p.valueDecimals ?? 0
  if (typeof decimals !== 'number' || !Number.isInteger(decimals) || decimals < 0 || decimals > 18)
    throw invalidParams('agents.feedback: valueDecimals, 0 to 18')
  if (p.paymentTx !== undefined && !(isHex(p.paymentTx) && p.paymentTx.length === 66))
    throw invalidParams('agents.feedback: paymentTx, a transaction hash')
  const tag1 = text(p.tag1, 'tag1', 64)
  const tag2 = text(p.tag2, 'tag2', 64)
  const endpoint = text(p.endpoint, 'endpoint', 2048)
  return {
    agentId: p.agentId,
    value: p.value,
    valueDecimals: decimals,
    ...(tag1 ? { tag1 } : {}),
    ...(tag2 ? { tag2 } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(p.paymentTx ? { paymentTx: p.paymentTx as Hash } : {}),
  }
}

export async function giveFeedback(caller: ResolvedCaller, p: FeedbackParams): Promise<FeedbackGiven> {
  const info = await accountService.info()
  if (!info) throw new ProviderRpcError(ErrorCode.unauthorized, 'No account yet: create one in the Seed popup.')
  const account = info.smartAccount
  const [client, { identity, reputation }] = await Promise.all([l1Client(), activeRegistries()])
  const chainId = client.chain.id
  const agentId = BigInt(p.agentId)
  const agent = await readAgent(client, { identity, agentId }).catch(() => {
    throw invalidParams(`agents.feedback: no agent ${p.agentId} on this network`)
  })
  let proofOfPayment: FeedbackFile['proofOfPayment']
  if (p.paymentTx) {
    proofOfPayment = {
      fromAddress: account,
      toAddress: agent.agentWallet,
      chainId: String(chainId),
      txHash: p.paymentTx,
    }
    const check = await verifyProofOfPayment(client, {
      proof: proofOfPayment,
      giver: account,
      agentWallet: agent.agentWallet,
      chainId,
    })
    if (!check.paid)
      throw invalidParams(`agents.feedback: ${p.paymentTx} is not a payment to this agent (${check.reason})`)
  }
  const file = encodeFeedbackFile({
    agentRegistry: agentRegistryId(chainId, identity),
    agentId: Number(agentId),
    clientAddress: `eip155:${chainId}:${account}`,
    createdAt: new Date().toISOString(),
    value: String(p.value),
    valueDecimals: p.valueDecimals ?? 0,
    ...(p.tag1 ? { tag1: p.tag1 } : {}),
    ...(p.tag2 ? { tag2: p.tag2 } : {}),
    ...(p.endpoint ? { endpoint: p.endpoint } : {}),
    ...(proofOfPayment ? { proofOfPayment } : {}),
  })
  await ensureOffscreen()
  const { cid } = await send('rollup:publishFile', { hex: bytesToHex(file) })
  const feedbackURI = `ipfs://${cid}`
  const [sent] = await sendCalls(caller, 'l1', [
    giveFeedbackCall(reputation, {
      agentId,
      value: BigInt(p.value),
      valueDecimals: p.valueDecimals ?? 0,
      tag1: p.tag1,
      tag2: p.tag2,
      endpoint: p.endpoint,
      feedbackURI,
      feedbackHash: keccak256(file),
    }),
  ])
  if (!sent) throw new ProviderRpcError(ErrorCode.internal, 'The send returned nothing.')
  const { logs, status } = await client.waitForTransactionReceipt({ hash: sent.hash })
  const given = parseEventLogs({ abi: ReputationRegistryAbi, eventName: 'NewFeedback', logs }).find(
    (log) => log.args.agentId === agentId,
  )
  if (status !== 'success' || !given)
    throw new ProviderRpcError(ErrorCode.internal, 'The feedback transaction did not record feedback.')
  return {
    agentId: p.agentId,
    feedbackIndex: given.args.feedbackIndex.toString(),
    feedbackURI,
    paid: !!proofOfPayment,
    tx: sent.hash,
  }
}
