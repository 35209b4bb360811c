/**
 * Probes a pin bounty's operator (decision 0802): asks it, with a fresh random challenge, for the bytes of a
 * batch picked at random among those posted on the inbox, and checks the answer: it came back in time, it is
 * signed by the key that joined the slot for this probe, and the bytes hash to the CID the inbox committed to
 * (SPEC.md §4: raw, sha2-256). The newest `graceBatches` are not sampled: the pinner may be fetching them.
 */
import { BountyError } from '@seed/contracts'
import { readInboxHead, readPostedBatch } from '@seed/rollup-lite'
import { type Address, type Chain, type Client, keccak256, type Transport } from 'viem'
import { getChainId } from 'viem/actions'
import {
  MAX_PINNED_BYTES,
  parseSignedPinAnswer,
  rawCidHexOf,
  recoverPinAnswerSigner,
  type SignedPinAnswer,
} from '../pinAnswer.ts'
import {
  askOperator,
  miss,
  type ProbeMissed,
  randomBelow,
  randomChallenge,
  type SignedAnswerKind,
} from './probeResult.ts'

const PIN_ANSWER: SignedAnswerKind<SignedPinAnswer> = {
  name: 'a signed pin answer',
  maxBytes: 2 * MAX_PINNED_BYTES + 16 * 1024, // the bytes as hex, and the rest of the answer
  parse: parseSignedPinAnswer,
  recover: recoverPinAnswerSigner,
}

export type PinProbeResult =
  | {
      passed: true
      answer: SignedPinAnswer
      /** Batches posted when probed: what a per-batch payment counts up to. */
      batches: bigint
    }
  | ProbeMissed

export type ProbePinnerParameters = {
  operatorUrl: string
  escrow: Address
  bountyId: bigint
  agentId: bigint
  inbox: Address
  /** The key that joined the slot. */
  operator: Address
  /** Ask for this batch instead of a random one. */
  batchIndex?: bigint
  /** The newest batches left out of the sample (default 1). */
  graceBatches?: bigint
  timeoutMs?: number
}

export async function probePinner(
  l1: Client<Transport, Chain | undefined>,
  p: ProbePinnerParameters,
): Promise<PinProbeResult> {
  const { count } = await readInboxHead(l1, p.inbox)
  const sampled = count - (p.graceBatches ?? 1n)
  const batchIndex = p.batchIndex ?? randomBelow(sampled > 0n ? sampled : count > 0n ? count : 1n)
  if (batchIndex >= count) throw new BountyError(`batch ${batchIndex} is not posted`, { details: `${count} posted` })
  const batch = await readPostedBatch(l1, p.inbox, batchIndex)
  if (!batch) throw new BountyError(`the L1 node has no BatchPosted log for batch ${batchIndex}`)
  const chainId = BigInt(l1.chain?.id ?? (await getChainId(l1)))
  const asked = await askOperator(
    PIN_ANSWER,
    { ...p, chainId, timeoutMs: p.timeoutMs ?? 10_000 },
    { bountyId: p.bountyId, agentId: p.agentId, challenge: randomChallenge(), batchIndex },
  )
  if (!('answer' in asked)) return asked
  const { answer } = asked
  const cid = batch.cid.toLowerCase()
  if (answer.cid.toLowerCase() !== cid) return miss('pinnedContent', `batch ${batchIndex}: answered CID ${answer.cid}`)
  if (keccak256(answer.bytes) !== answer.contentHash || rawCidHexOf(answer.bytes) !== cid) {
    return miss('pinnedContent', `batch ${batchIndex}: the bytes do not hash to its CID ${batch.cid}`)
  }
  return { passed: true, answer, batches: count }
}
