/**
 * The batch hash `RollupInbox.postBatch` stores and `BatchPosted` carries (SPEC.md §5):
 * keccak256(abi.encode(index, parentBatchHash, firstBlock, lastBlock, outputRoot, blobHashes, keccak256(cid))).
 */
import { encodeAbiParameters, type Hex, keccak256 } from 'viem'

export type BatchCommitment = {
  index: bigint
  parentBatchHash: Hex
  firstBlock: bigint
  lastBlock: bigint
  outputRoot: Hex
  blobHashes: readonly Hex[]
  /** The binary CID (SPEC.md §4). */
  cid: Hex
}

export function batchHash(b: BatchCommitment): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: 'uint256' },
        { type: 'bytes32' },
        { type: 'uint64' },
        { type: 'uint64' },
        { type: 'bytes32' },
        { type: 'bytes32[]' },
        { type: 'bytes32' },
      ],
      [b.index, b.parentBatchHash, b.firstBlock, b.lastBlock, b.outputRoot, [...b.blobHashes], keccak256(b.cid)],
    ),
  )
}
