/** Folding the inbox's events: a rollback drops batches from its index, and the re-post takes the index. */
import { type Hex, keccak256, stringToHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { batchHash } from './batch-hash.ts'
import { applyInboxChanges, type InboxChange, type PostedBatch } from './inbox.ts'

function posted(index: bigint, parent: PostedBatch | undefined, tag: string): PostedBatch {
  const commitment = {
    index,
    parentBatchHash: parent?.batchHash ?? (`0x${'00'.repeat(32)}` as Hex),
    firstBlock: (parent?.lastBlock ?? 0n) + 1n,
    lastBlock: (parent?.lastBlock ?? 0n) + 2n,
    outputRoot: keccak256(stringToHex(tag)),
    blobHashes: [],
    cid: '0x01' as Hex,
  }
  return { ...commitment, batchHash: batchHash(commitment), l1Block: 1n, l1Timestamp: 1n, l1TxHash: '0x' }
}
const post = (batch: PostedBatch): InboxChange => ({ type: 'posted', batch })

describe('applyInboxChanges', () => {
  const b0 = posted(0n, undefined, 'zero')
  const b1 = posted(1n, b0, 'forged')
  const b2 = posted(2n, b1, 'later')
  const again1 = posted(1n, b0, 'honest')

  test('a rollback drops its index and later, and the re-post continues the kept batches', () => {
    const changes: InboxChange[] = [
      post(b0),
      post(b1),
      post(b2),
      { type: 'rolled-back', index: 1n, previousCount: 3n, l1Block: 2n },
      post(again1),
    ]
    expect(applyInboxChanges([], changes)).toEqual([b0, again1])
  })

  test('events that do not chain are refused, as the contract refuses them', () => {
    expect(() => applyInboxChanges([], [post(b1)])).toThrow(/skip batch 0/)
    expect(() => applyInboxChanges([b0], [post(posted(1n, b1, 'x'))])).toThrow(/parent hash/)
    expect(() => applyInboxChanges([], [post({ ...b0, outputRoot: b1.outputRoot })])).toThrow(/batch hash/)
  })
})
