/**
 * A verifier's signed answer to a probe (verify bounties, decision 0802): the output roots it derived itself
 * for a window of batches the prober picked, with the prober's random challenge, EIP-712 signed by the key that
 * joined the bounty (the same domain as replica answers). The prober compares them with the roots posted on the
 * inbox: a verifier that only echoes the inbox is not caught by this alone, but one that did not derive the
 * window (or derived something else) is, and the answer is attributable.
 */
import { type Address, type Hex, recoverTypedDataAddress } from 'viem'
import type { PrivateKeyAccount } from 'viem/accounts'
import { isBytes32, isSignature, operatorAnswerDomain, parseUint } from './replicaAnswer.ts'

/** Largest window a probe may ask about (the rollup-lite validator answers ranges below 1,000 batches). */
export const MAX_VERIFY_WINDOW = 1_000n

export const VERIFY_ANSWER_TYPES = {
  VerifyAnswer: [
    { name: 'bountyId', type: 'uint256' },
    { name: 'agentId', type: 'uint256' },
    { name: 'challenge', type: 'bytes32' },
    { name: 'fromBatch', type: 'uint256' },
    { name: 'toBatch', type: 'uint256' },
    { name: 'outputRoots', type: 'bytes32[]' },
  ],
} as const

export type VerifyProbeRequest = {
  bountyId: bigint
  agentId: bigint
  challenge: Hex
  fromBatch: bigint
  toBatch: bigint
}
export type VerifyAnswer = VerifyProbeRequest & { outputRoots: readonly Hex[] }
export type SignedVerifyAnswer = VerifyAnswer & { signature: Hex }

const typedData = (p: { chainId: bigint; escrow: Address }, a: VerifyAnswer) => ({
  domain: operatorAnswerDomain(p),
  types: VERIFY_ANSWER_TYPES,
  primaryType: 'VerifyAnswer' as const,
  message: {
    bountyId: a.bountyId,
    agentId: a.agentId,
    challenge: a.challenge,
    fromBatch: a.fromBatch,
    toBatch: a.toBatch,
    outputRoots: a.outputRoots,
  },
})

export async function signVerifyAnswer(
  key: PrivateKeyAccount,
  p: { chainId: bigint; escrow: Address },
  answer: VerifyAnswer,
): Promise<SignedVerifyAnswer> {
  return { ...answer, signature: await key.signTypedData(typedData(p, answer)) }
}

export async function recoverVerifyAnswerSigner(
  p: { chainId: bigint; escrow: Address },
  answer: SignedVerifyAnswer,
): Promise<Address | undefined> {
  return recoverTypedDataAddress({ ...typedData(p, answer), signature: answer.signature }).catch(() => undefined)
}

/** Reads a verify probe from JSON; undefined when it is not one (or asks about more than MAX_VERIFY_WINDOW batches). */
export function parseVerifyProbeRequest(json: unknown): VerifyProbeRequest | undefined {
  if (!json || typeof json !== 'object') return undefined
  const o = json as Record<string, unknown>
  const [bountyId, agentId, fromBatch, toBatch] = [o.bountyId, o.agentId, o.fromBatch, o.toBatch].map(parseUint)
  if (bountyId === undefined || agentId === undefined || fromBatch === undefined || toBatch === undefined) return
  if (toBatch < fromBatch || toBatch - fromBatch >= MAX_VERIFY_WINDOW || !isBytes32(o.challenge)) return
  return { bountyId, agentId, challenge: o.challenge, fromBatch, toBatch }
}

export function parseSignedVerifyAnswer(json: unknown): SignedVerifyAnswer | undefined {
  const request = parseVerifyProbeRequest(json)
  if (!request) return undefined
  const o = json as Record<string, unknown>
  const roots = o.outputRoots
  if (!Array.isArray(roots) || BigInt(roots.length) !== request.toBatch - request.fromBatch + 1n) return undefined
  if (!roots.every(isBytes32) || !isSignature(o.signature)) return undefined
  return { ...request, outputRoots: roots, signature: o.signature }
}
