/**
 * How an operator answers `POST /probe` for its bounty's kind (decision 0802): each kind reads its own request,
 * looks up what it holds and signs the answer with the key that joined the bounty.
 */
import type { Address, Hex } from 'viem'
import type { PrivateKeyAccount } from 'viem/accounts'
import { OperatorError } from './errors.ts'
import { parsePinProbeRequest, signPinAnswer } from './pinAnswer.ts'
import { parseProbeRequest, signReplicaAnswer } from './replicaAnswer.ts'
import { parseVerifyProbeRequest, signVerifyAnswer } from './verifyAnswer.ts'

/** What the replica holds at a block: undefined when it has no such block yet. */
export type ReplicaReader = (number: bigint) => Promise<{ head: bigint; blockHash: Hex; stateRoot: Hex } | undefined>

export type ProbeAnswerer = {
  /** The request, or undefined when the body is not one (the server answers 400 with `malformed`). */
  parse(json: unknown): { bountyId: bigint; agentId: bigint } | undefined
  malformed: string
  /** The signed answer; an OperatorError (its status) when this operator holds nothing to answer with. */
  answer(request: { bountyId: bigint; agentId: bigint }): Promise<unknown>
}

export type AnswerSigner = { key: PrivateKeyAccount; chainId: bigint; escrow: Address }

export function replicaProbeAnswerer(s: AnswerSigner, read: ReplicaReader): ProbeAnswerer {
  return {
    parse: parseProbeRequest,
    malformed: 'malformed probe: bountyId, agentId, number and a 32-byte challenge',
    async answer(r) {
      const request = r as NonNullable<ReturnType<typeof parseProbeRequest>>
      const held = await read(request.number)
      if (!held) throw new OperatorError('the replica does not hold that block yet', { status: 404 })
      return signReplicaAnswer(s.key, s, { ...request, ...held })
    },
  }
}

/** `computed(index)`: the output root this verifier derived for a batch (verifier.ts). */
export function verifyProbeAnswerer(s: AnswerSigner, computed: (index: bigint) => Hex | undefined): ProbeAnswerer {
  return {
    parse: parseVerifyProbeRequest,
    malformed: 'malformed probe: bountyId, agentId, fromBatch ≤ toBatch (under 1,000 batches) and a 32-byte challenge',
    async answer(r) {
      const request = r as NonNullable<ReturnType<typeof parseVerifyProbeRequest>>
      const outputRoots: Hex[] = []
      for (let i = request.fromBatch; i <= request.toBatch; i++) {
        const root = computed(i)
        if (!root) throw new OperatorError(`batch ${i} is not derived yet`, { status: 404 })
        outputRoots.push(root)
      }
      return signVerifyAnswer(s.key, s, { ...request, outputRoots })
    },
  }
}

/** `held(index)`: the batch's CID and the bytes this operator's IPFS peer holds for it (pinner.ts). */
export function pinProbeAnswerer(
  s: AnswerSigner,
  held: (batchIndex: bigint) => Promise<{ cid: Hex; bytes: Hex } | undefined>,
): ProbeAnswerer {
  return {
    parse: parsePinProbeRequest,
    malformed: 'malformed probe: bountyId, agentId, batchIndex and a 32-byte challenge',
    async answer(r) {
      const request = r as NonNullable<ReturnType<typeof parsePinProbeRequest>>
      const pinned = await held(request.batchIndex)
      if (!pinned) throw new OperatorError(`batch ${request.batchIndex} is not pinned here`, { status: 404 })
      return signPinAnswer(s.key, s, { ...request, ...pinned })
    },
  }
}
