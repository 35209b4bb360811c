/**
 * A replica's signed answer to a probe (decision 0802): what it holds at a block the prober picked, its
 * head, and the prober's random challenge, signed (EIP-712) by the key that joined the bounty. The
 * signature makes a lie attributable and the challenge makes an old answer useless.
 */
import { type Address, type Hex, isAddress, isHex, recoverTypedDataAddress } from 'viem'
import type { PrivateKeyAccount } from 'viem/accounts'

export const REPLICA_ANSWER_TYPES = {
  ReplicaAnswer: [
    { name: 'bountyId', type: 'uint256' },
    { name: 'agentId', type: 'uint256' },
    { name: 'challenge', type: 'bytes32' },
    { name: 'head', type: 'uint256' },
    { name: 'number', type: 'uint256' },
    { name: 'blockHash', type: 'bytes32' },
    { name: 'stateRoot', type: 'bytes32' },
  ],
} as const

export type ProbeRequest = { bountyId: bigint; agentId: bigint; challenge: Hex; number: bigint }
export type ReplicaAnswer = ProbeRequest & { head: bigint; blockHash: Hex; stateRoot: Hex }
export type SignedReplicaAnswer = ReplicaAnswer & { signature: Hex }

/** The domain of every operator answer (replica, verify, pin): it ties an answer to one rollup chain and one escrow. */
export const operatorAnswerDomain = (p: { chainId: bigint; escrow: Address }) =>
  ({ name: 'SeedOperator', version: '1', chainId: p.chainId, verifyingContract: p.escrow }) as const

const answerTypedData = (p: { chainId: bigint; escrow: Address }, a: ReplicaAnswer) => ({
  domain: operatorAnswerDomain(p),
  types: REPLICA_ANSWER_TYPES,
  primaryType: 'ReplicaAnswer' as const,
  message: {
    bountyId: a.bountyId,
    agentId: a.agentId,
    challenge: a.challenge,
    head: a.head,
    number: a.number,
    blockHash: a.blockHash,
    stateRoot: a.stateRoot,
  },
})

export async function signReplicaAnswer(
  key: PrivateKeyAccount,
  p: { chainId: bigint; escrow: Address },
  answer: ReplicaAnswer,
): Promise<SignedReplicaAnswer> {
  return { ...answer, signature: await key.signTypedData(answerTypedData(p, answer)) }
}

export async function recoverReplicaAnswerSigner(
  p: { chainId: bigint; escrow: Address },
  answer: SignedReplicaAnswer,
): Promise<Address | undefined> {
  return recoverTypedDataAddress({ ...answerTypedData(p, answer), signature: answer.signature }).catch(() => undefined)
}

export const isBytes32 = (v: unknown): v is Hex => isHex(v) && v.length === 66
const bytes32 = isBytes32
/** A JSON number field (decimal or hex string); undefined when it is not one. */
export const parseUint = (v: unknown) => {
  if (typeof v !== 'string' || !/^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/.test(v)) return undefined
  return BigInt(v)
}

/** Reads a probe request from JSON (numbers as decimal or hex strings); undefined when it is not one. */
export function parseProbeRequest(json: unknown): ProbeRequest | undefined {
  if (!json || typeof json !== 'object') return undefined
  const o = json as Record<string, unknown>
  const bountyId = parseUint(o.bountyId)
  const agentId = parseUint(o.agentId)
  const number = parseUint(o.number)
  if (bountyId === undefined || agentId === undefined || number === undefined || !bytes32(o.challenge)) return undefined
  return { bountyId, agentId, number, challenge: o.challenge }
}

/** Reads a signed answer from JSON; undefined when a field is missing or malformed. */
export function parseSignedReplicaAnswer(json: unknown): SignedReplicaAnswer | undefined {
  const request = parseProbeRequest(json)
  if (!request) return undefined
  const o = json as Record<string, unknown>
  const head = parseUint(o.head)
  if (head === undefined || !bytes32(o.blockHash) || !bytes32(o.stateRoot)) return undefined
  if (!isSignature(o.signature)) return undefined
  return { ...request, head, blockHash: o.blockHash, stateRoot: o.stateRoot, signature: o.signature }
}

/** A signature field: hex, at most 1 KiB (an ERC-1271 signature may be longer than 65 bytes). */
export const isSignature = (v: unknown): v is Hex => isHex(v) && v.length <= 2 + 2 * 1024

/** JSON with bigints as decimal strings (the wire form of requests, answers and vouchers). */
export const toWireJson = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))

export const isWireAddress = (v: unknown): v is Address => typeof v === 'string' && isAddress(v)
