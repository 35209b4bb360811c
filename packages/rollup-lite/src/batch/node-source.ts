/** The rollup node as the batcher's block source: persisted blocks, raw txs as hex. */
import { bytesToHex, type Hex, numberToHex } from 'viem'
import type { SealedBlock } from '../chain/types.ts'
import { DEPOSIT_TX_TYPE } from '../protocol/bridge/deposit.ts'
import { L2_TO_L1_MESSAGE_PASSER } from '../protocol/bridge/withdrawal.ts'
import { l1OriginOf } from '../protocol/header.ts'
import { messagePasserStorageRoot } from '../protocol/output-root.ts'
import type { BlockSource } from './batcher.ts'

/**
 * What the batcher needs of a rollup node (create-node.ts's RollupNode has it), said here so the
 * batcher depends on the protocol and the chain types, not on the sequencer's wiring.
 */
export type BatchedNode = {
  chainId: bigint
  status(): { persistedHead: bigint }
  block(number: bigint): Promise<SealedBlock | undefined>
  request(method: string, params?: unknown[]): Promise<unknown>
  setBatchStatus(status: { l1TxHash: Hex | null; l2BlockEnd: bigint; blobVersionedHashes: Hex[]; cid: string }): void
}

export function nodeBlockSource(node: Pick<BatchedNode, 'status' | 'block' | 'request'>): BlockSource {
  return {
    persistedHead: () => node.status().persistedHead,
    async block(n) {
      const b = await node.block(n)
      if (!b) return undefined
      const l1Origin = l1OriginOf(b.header)
      return {
        hash: b.hash,
        stateRoot: b.header.stateRoot,
        timestamp: b.header.timestamp,
        ...(l1Origin === undefined ? {} : { l1Origin }),
        // Deposits are not batched: derivation reads them from L1 by the block's origin (SPEC.md §10.2).
        transactions: b.transactions.filter((t) => t[0] !== DEPOSIT_TX_TYPE).map((t) => bytesToHex(t)),
        messagePasserStorageRoot: () => nodeMessagePasserStorageRoot(node, n),
      }
    },
  }
}

/** Block `n`'s message passer storage root as the node proves it (`eth_getProof`'s `storageHash`), §6. */
export async function nodeMessagePasserStorageRoot(node: Pick<BatchedNode, 'request'>, n: bigint): Promise<Hex> {
  const account = (await node.request('eth_getProof', [L2_TO_L1_MESSAGE_PASSER, [], numberToHex(n)])) as {
    codeHash: Hex
    storageHash: Hex
  }
  return messagePasserStorageRoot(account)
}
