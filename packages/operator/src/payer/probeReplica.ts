/**
 * Probes a bounty's replica (decision 0802): asks it, with a fresh random challenge, for a block the
 * sequencer holds, and checks the answer as a user of the replica would need it: it came back (within
 * `timeoutMs`), it is signed by the key that joined the slot, its head is within `maxLag` blocks of the
 * sequencer's, and the block hash and state root it holds are the sequencer's. The first failing check
 * names the miss (its feedback tag).
 */
import { type Address, type Chain, type Client, type Hex, isAddressEqual, type Transport } from 'viem'
import { getBlock, getBlockNumber } from 'viem/actions'
import { parseSignedReplicaAnswer, recoverReplicaAnswerSigner, type SignedReplicaAnswer } from '../replicaAnswer.ts'
import { miss, type ProbeMissed, postProbe, randomBelow, randomChallenge } from './probeResult.ts'

export type { ProbeMiss } from './probeResult.ts'

/** A signed answer is a few hundred bytes; anything far larger is not one. */
const MAX_ANSWER_BYTES = 16 * 1024

export type ProbeResult = { passed: true; answer: SignedReplicaAnswer; lag: bigint } | ProbeMissed

export type ProbeReplicaParameters = {
  /** The operator's HTTP endpoint (its `POST /probe`). */
  operatorUrl: string
  escrow: Address
  bountyId: bigint
  agentId: bigint
  /** The key that joined the slot (`readBountySlot(...).operator`). */
  operator: Address
  /** How many blocks behind the sequencer's head the replica may be (default 8). */
  maxLag?: bigint
  /** How far back from the sequencer's head the sampled block may be (default 16). */
  sampleDepth?: bigint
  timeoutMs?: number
}

/** `sequencer`: a client of the chain's sequencer, the truth the replica is held to. */
export async function probeReplica(
  sequencer: Client<Transport, Chain | undefined>,
  p: ProbeReplicaParameters,
): Promise<ProbeResult> {
  const maxLag = p.maxLag ?? 8n
  const head = await getBlockNumber(sequencer, { cacheTime: 0 })
  const depth = p.sampleDepth ?? 16n
  // A block a replica within the allowed lag holds: one at random among `depth` below that bound.
  const top = head > maxLag ? head - maxLag : 0n
  const number = top - randomBelow(depth < top ? depth : top + 1n)
  const challenge = randomChallenge()
  const request = { bountyId: p.bountyId, agentId: p.agentId, challenge, number }
  const posted = await postProbe(p.operatorUrl, request, { maxBytes: MAX_ANSWER_BYTES, timeoutMs: p.timeoutMs })
  if (!('body' in posted)) return posted
  const answer = parseSignedReplicaAnswer(posted.body)
  if (!answer) return miss('reachable', 'the answer is not a signed replica answer')
  const chainId = BigInt(sequencer.chain?.id ?? (await sequencer.request({ method: 'eth_chainId' })))
  const signer = await recoverReplicaAnswerSigner({ chainId, escrow: p.escrow }, answer)
  if (!signer || !isAddressEqual(signer, p.operator)) return miss('signature', `signed by ${signer ?? 'nobody'}`)
  if (
    answer.challenge !== challenge ||
    answer.number !== number ||
    answer.bountyId !== p.bountyId ||
    answer.agentId !== p.agentId
  ) {
    return miss('signature', 'the answer is not for this probe')
  }
  const lag = head > answer.head ? head - answer.head : 0n
  if (lag > maxLag) return miss('blocktimeFreshness', `head ${answer.head}, sequencer ${head}`)
  const truth = await getBlock(sequencer, { blockNumber: number })
  if (!sameHex(truth.hash, answer.blockHash) || !sameHex(truth.stateRoot, answer.stateRoot)) {
    return miss('stateRoot', `block ${number}: replica ${answer.stateRoot}, sequencer ${truth.stateRoot}`)
  }
  return { passed: true, answer, lag }
}

const sameHex = (a: Hex | null, b: Hex) => a !== null && a.toLowerCase() === b.toLowerCase()
