/**
 * The wallet answers feedback (decision 0801): a response file (the answer, which entry it answers) is
 * published like the agent's other files and `appendResponse` is the caller's send through the one action
 * pipeline. The registry takes responses from anyone; readers weigh the agent's own (its owner's).
 */
import type { ResponseAppended, ResponseParams } from '@seed/agent/api'
import { agentRegistryId, appendResponseCall } from '@seed/contracts'
import { type Address, bytesToHex, isAddress, keccak256, stringToBytes } from 'viem'
import { ErrorCode, invalidParams, ProviderRpcError } from '../../core/errors.ts'
import { send } from '../../core/messenger.ts'
import { l1Client } from '../account/clients.ts'
import type { ResolvedCaller } from '../agent/caller.ts'
import { sendCalls } from '../agent/wallet.ts'
import { ensureOffscreen } from '../rollup/rollup.ts'
import { activeRegistries } from './registries.ts'

export function parseResponseParams(params: unknown): ResponseParams {
  const p = (params ?? {}) as Record<string, unknown>
  if (typeof p.agentId !== 'string' || !/^\d{1,78}$/.test(p.agentId))
    throw invalidParams('agents.respond: agentId, a decimal string')
  if (typeof p.clientAddress !== 'string' || !isAddress(p.clientAddress))
    throw invalidParams('agents.respond: clientAddress, the address that gave the feedback')
  if (typeof p.feedbackIndex !== 'string' || !/^[1-9]\d{0,18}$/.test(p.feedbackIndex))
    throw invalidParams('agents.respond: feedbackIndex, a decimal string from 1')
  if (typeof p.response !== 'string' || !p.response || p.response.length > 4000)
    throw invalidParams('agents.respond: response, 1 to 4000 characters')
  return {
    agentId: p.agentId,
    clientAddress: p.clientAddress as Address,
    feedbackIndex: p.feedbackIndex,
    response: p.response,
  }
}

export async function respondToFeedback(caller: ResolvedCaller, p: ResponseParams): Promise<ResponseAppended> {
  const [client, { identity, reputation }] = await Promise.all([l1Client(), activeRegistries()])
  const file = stringToBytes(
    JSON.stringify({
      agentRegistry: agentRegistryId(client.chain.id, identity),
      agentId: Number(p.agentId),
      clientAddress: p.clientAddress,
      feedbackIndex: Number(p.feedbackIndex),
      response: p.response,
      createdAt: new Date().toISOString(),
    }),
  )
  await ensureOffscreen()
  const { cid } = await send('rollup:publishFile', { hex: bytesToHex(file) })
  const responseURI = `ipfs://${cid}`
  const [sent] = await sendCalls(caller, 'l1', [
    appendResponseCall(reputation, {
      agentId: BigInt(p.agentId),
      clientAddress: p.clientAddress,
      feedbackIndex: BigInt(p.feedbackIndex),
      responseURI,
      responseHash: keccak256(file),
    }),
  ])
  if (!sent) throw new ProviderRpcError(ErrorCode.internal, 'The send returned nothing.')
  const { status } = await client.waitForTransactionReceipt({ hash: sent.hash })
  if (status !== 'success') throw new ProviderRpcError(ErrorCode.internal, 'appendResponse reverted.')
  return { responseURI, tx: sent.hash }
}
