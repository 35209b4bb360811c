/**
 * A pinner's signed answer to a probe (pin bounties, decision 0802): the bytes it holds for a batch the prober
 * picked, with the prober's random challenge, EIP-712 signed by the key that joined the bounty over the batch's
 * CID and the bytes' keccak256. The prober checks the bytes hash to the CID posted on the inbox: content
 * addressing makes a wrong answer evident, and the signature makes it attributable.
 */
import { type Address, concat, type Hex, isHex, keccak256, recoverTypedDataAddress, sha256 } from 'viem'
import type { PrivateKeyAccount } from 'viem/accounts'
import { isBytes32, isSignature, operatorAnswerDomain, parseUint } from './replicaAnswer.ts'

/** A batch's channel fits one IPFS block (SPEC.md §4): at most 1 MiB. */
export const MAX_PINNED_BYTES = 1024 * 1024

export const PIN_ANSWER_TYPES = {
  PinAnswer: [
    { name: 'bountyId', type: 'uint256' },
    { name: 'agentId', type: 'uint256' },
    { name: 'challenge', type: 'bytes32' },
    { name: 'batchIndex', type: 'uint256' },
    { name: 'cid', type: 'bytes' },
    { name: 'contentHash', type: 'bytes32' },
  ],
} as const

export type PinProbeRequest = { bountyId: bigint; agentId: bigint; challenge: Hex; batchIndex: bigint }
export type PinAnswer = PinProbeRequest & { cid: Hex; contentHash: Hex }
/** On the wire the bytes travel with the signed answer; the signature covers their hash. */
export type SignedPinAnswer = PinAnswer & { bytes: Hex; signature: Hex }

/** The binary CIDv1 of bytes as Seed addresses batches (SPEC.md §4): codec raw (0x55), sha2-256 (0x12, 32 bytes). */
export const rawCidHexOf = (bytes: Uint8Array | Hex): Hex => concat(['0x01551220', sha256(bytes)])

const typedData = (p: { chainId: bigint; escrow: Address }, a: PinAnswer) => ({
  domain: operatorAnswerDomain(p),
  types: PIN_ANSWER_TYPES,
  primaryType: 'PinAnswer' as const,
  message: {
    bountyId: a.bountyId,
    agentId: a.agentId,
    challenge: a.challenge,
    batchIndex: a.batchIndex,
    cid: a.cid,
    contentHash: a.contentHash,
  },
})

export async function signPinAnswer(
  key: PrivateKeyAccount,
  p: { chainId: bigint; escrow: Address },
  request: PinProbeRequest & { cid: Hex; bytes: Hex },
): Promise<SignedPinAnswer> {
  const answer = { ...request, contentHash: keccak256(request.bytes) }
  return { ...answer, signature: await key.signTypedData(typedData(p, answer)) }
}

export async function recoverPinAnswerSigner(
  p: { chainId: bigint; escrow: Address },
  answer: SignedPinAnswer,
): Promise<Address | undefined> {
  return recoverTypedDataAddress({ ...typedData(p, answer), signature: answer.signature }).catch(() => undefined)
}

export function parsePinProbeRequest(json: unknown): PinProbeRequest | undefined {
  if (!json || typeof json !== 'object') return undefined
  const o = json as Record<string, unknown>
  const [bountyId, agentId, batchIndex] = [o.bountyId, o.agentId, o.batchIndex].map(parseUint)
  if (bountyId === undefined || agentId === undefined || batchIndex === undefined || !isBytes32(o.challenge)) return
  return { bountyId, agentId, challenge: o.challenge, batchIndex }
}

export function parseSignedPinAnswer(json: unknown): SignedPinAnswer | undefined {
  const request = parsePinProbeRequest(json)
  if (!request) return undefined
  const o = json as Record<string, unknown>
  if (!isHex(o.cid) || o.cid.length > 2 + 2 * 128 || !isBytes32(o.contentHash) || !isSignature(o.signature)) return
  if (!isHex(o.bytes) || o.bytes.length > 2 + 2 * MAX_PINNED_BYTES) return undefined
  return { ...request, cid: o.cid, contentHash: o.contentHash, bytes: o.bytes, signature: o.signature }
}
