/**
 * The sequencer's side: every sealed (and persisted) block goes out on the chain's gossip topic,
 * signed with the sequencer key (the inbox's `sequencer()`, the batcher's key). Publishing never
 * holds the node: a failed publish is reported and the block reaches replicas through L1 anyway.
 */
import type { Hex } from 'viem'
import type { RollupNode } from '../create-node.ts'
import type { BlockGossip } from './gossip.ts'
import { encodeUnsafeBlock } from './unsafe-block.ts'

export function publishUnsafeBlocks(
  node: RollupNode,
  gossip: BlockGossip,
  sequencerKey: Hex,
  onError: (error: Error) => void = () => {},
): () => void {
  // One publish at a time, in seal order: replicas apply blocks in order.
  let chain = Promise.resolve()
  return node.onBlockSealed((block) => {
    chain = chain
      .then(async () => gossip.publish(await encodeUnsafeBlock(node.chainId, block, sequencerKey)))
      .catch((error: Error) => onError(error))
  })
}
