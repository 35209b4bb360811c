/**
 * The registries' writes as calls `{ to, data }`: sending is the caller's business (a test's wallet client,
 * the extension's one action pipeline, a CLI), so one encoding serves them all.
 */
import { type Address, encodeFunctionData, type Hex, zeroHash } from 'viem'
import { IdentityRegistryAbi, ReputationRegistryAbi, ValidationRegistryAbi } from '../generated/index.ts'

export type RegistryCall = { to: Address; data: Hex }
export type MetadataEntry = { metadataKey: string; metadataValue: Hex }

export function registerAgentCall(
  identity: Address,
  { agentURI, metadata }: { agentURI?: string; metadata?: readonly MetadataEntry[] } = {},
): RegistryCall {
  const data =
    metadata?.length && agentURI !== undefined
      ? encodeFunctionData({ abi: IdentityRegistryAbi, functionName: 'register', args: [agentURI, metadata] })
      : agentURI !== undefined
        ? encodeFunctionData({ abi: IdentityRegistryAbi, functionName: 'register', args: [agentURI] })
        : encodeFunctionData({ abi: IdentityRegistryAbi, functionName: 'register', args: [] })
  return { to: identity, data }
}

export function setAgentURICall(identity: Address, { agentId, agentURI }: { agentId: bigint; agentURI: string }) {
  return {
    to: identity,
    data: encodeFunctionData({ abi: IdentityRegistryAbi, functionName: 'setAgentURI', args: [agentId, agentURI] }),
  }
}

export function setAgentWalletCall(
  identity: Address,
  p: { agentId: bigint; newWallet: Address; deadline: bigint; signature: Hex },
): RegistryCall {
  return {
    to: identity,
    data: encodeFunctionData({
      abi: IdentityRegistryAbi,
      functionName: 'setAgentWallet',
      args: [p.agentId, p.newWallet, p.deadline, p.signature],
    }),
  }
}

export type FeedbackParams = {
  agentId: bigint
  /** Signed fixed point: `value / 10^valueDecimals` (e.g. 95 with 0 decimals, or 9950 with 2). */
  value: bigint
  valueDecimals: number
  tag1?: string
  tag2?: string
  endpoint?: string
  feedbackURI?: string
  /** keccak256 of the feedback file; may stay zero for an `ipfs://` URI (the CID commits to it). */
  feedbackHash?: Hex
}

export function giveFeedbackCall(reputation: Address, p: FeedbackParams): RegistryCall {
  return {
    to: reputation,
    data: encodeFunctionData({
      abi: ReputationRegistryAbi,
      functionName: 'giveFeedback',
      args: [
        p.agentId,
        p.value,
        p.valueDecimals,
        p.tag1 ?? '',
        p.tag2 ?? '',
        p.endpoint ?? '',
        p.feedbackURI ?? '',
        p.feedbackHash ?? zeroHash,
      ],
    }),
  }
}

export function revokeFeedbackCall(reputation: Address, p: { agentId: bigint; feedbackIndex: bigint }): RegistryCall {
  return {
    to: reputation,
    data: encodeFunctionData({
      abi: ReputationRegistryAbi,
      functionName: 'revokeFeedback',
      args: [p.agentId, p.feedbackIndex],
    }),
  }
}

export function appendResponseCall(
  reputation: Address,
  p: { agentId: bigint; clientAddress: Address; feedbackIndex: bigint; responseURI: string; responseHash?: Hex },
): RegistryCall {
  return {
    to: reputation,
    data: encodeFunctionData({
      abi: ReputationRegistryAbi,
      functionName: 'appendResponse',
      args: [p.agentId, p.clientAddress, p.feedbackIndex, p.responseURI, p.responseHash ?? zeroHash],
    }),
  }
}

export function validationRequestCall(
  validation: Address,
  p: { validatorAddress: Address; agentId: bigint; requestURI: string; requestHash: Hex },
): RegistryCall {
  return {
    to: validation,
    data: encodeFunctionData({
      abi: ValidationRegistryAbi,
      functionName: 'validationRequest',
      args: [p.validatorAddress, p.agentId, p.requestURI, p.requestHash],
    }),
  }
}

export function validationResponseCall(
  validation: Address,
  p: { requestHash: Hex; response: number; responseURI?: string; responseHash?: Hex; tag?: string },
): RegistryCall {
  return {
    to: validation,
    data: encodeFunctionData({
      abi: ValidationRegistryAbi,
      functionName: 'validationResponse',
      args: [p.requestHash, p.response, p.responseURI ?? '', p.responseHash ?? zeroHash, p.tag ?? ''],
    }),
  }
}
