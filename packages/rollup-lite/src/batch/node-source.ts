/** The rollup node as the batcher's block source: persisted blocks, raw txs as hex. */
import { bytesToHex } from 'viem'
import type { RollupNode } from '../create-node.ts'
import type { BlockSource } from './batcher.ts'

export function nodeBlockSource(node: Pick<RollupNode, 'status' | 'block'>): BlockSource {
  return {
    persistedHead: () => node.status().persistedHead,
    async block(n) {
      const b = await node.block(n)
      if (!b) return undefined
      return {
        hash: b.hash,
        stateRoot: b.header.stateRoot,
        timestamp: b.header.timestamp,
        transactions: b.transactions.map((t) => bytesToHex(t)),
      }
    },
  }
}
