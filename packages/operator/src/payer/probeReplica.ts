/**
 * Probes a bounty's replica (decision 0802): asks it, with a fresh random challenge, for a block the
 * sequencer holds, and checks the answer as a user of the replica would need it: it came back (within
 * `timeoutMs`), it is signed by the key that joined the slot, its head is within `maxLag` blocks of the
 * sequencer's, and the block hash and state root it holds are the sequencer's. The first failing check
 * names the miss (its feedback tag).
 */
import type { Address, Chain, Client, Hex, Transport } from 'viem'
import { getBlock, getBlockNumber } from 'viem/actions'
import { parseSignedReplicaAnswer, recoverReplicaAnswerSigner, type SignedReplicaAnswer } from '../replicaAnswer.ts'
import {
  askOperator,
  miss,
  type ProbeMissed,
  randomBelow,
  randomChallenge,
  type SignedAnswerKind,
} from './probeResult.ts'

export type { ProbeMiss } from './probeResult.ts'

const REPLICA_ANSWER: SignedAnswerKind<SignedReplicaAnswer> = {
  name: 'a signed replica answer',
  maxBytes: 16 * 1024, // a signed answer is a few hundred bytes; anything far larger is not one
  parse: parseSignedReplicaAnswer,
  recover: recoverReplicaAnswerSigner,
}

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
  const chainId = BigInt(sequencer.chain?.id ?? (await sequencer.request({ method: 'eth_chainId' })))
  const asked = await askOperator(
    REPLICA_ANSWER,
    { ...p, chainId },
    { bountyId: p.bountyId, agentId: p.agentId, challenge: randomChallenge(), number },
  )
  if (!('answer' in asked)) return asked
  const { answer } = asked
  const lag = head > answer.head ? head - answer.head : 0n
  if (lag > maxLag) return miss('blocktimeFreshness', `head ${answer.head}, sequencer ${head}`)
  const truth = await getBlock(sequencer, { blockNumber: number })
  if (!sameHex(truth.hash, answer.blockHash) || !sameHex(truth.stateRoot, answer.stateRoot)) {
    return miss('stateRoot', `block ${number}: replica ${answer.stateRoot}, sequencer ${truth.stateRoot}`)
  }
  return { passed: true, answer, lag }
}

const sameHex = (a: Hex | null, b: Hex) => a !== null && a.toLowerCase() === b.toLowerCase()
