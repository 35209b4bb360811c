import type { Hex } from 'viem'

/**
 * One L2 block as the batch carries it: only what derivation cannot recompute.
 * Everything else in the header (parent hash, state root, base fee, gas used...) is re-derived
 * by executing the transactions; see SPEC.md "Derivation".
 */
export type BatchBlock = {
  number: bigint
  timestamp: bigint
  /**
   * v2 (channel version 2, SPEC.md §10.2): the L1 block this L2 block has seen, whose deposits up
   * to it the chain includes. Absent in a v1 channel (a chain without a bridge).
   */
  l1Origin?: bigint
  /**
   * Sequenced transactions, each in its canonical EIP-2718 serialization. A block's deposit
   * transactions (0x7E) are not here: derivation reads them from L1 by the block's origin.
   */
  transactions: readonly Hex[]
  /** The same transactions as bytes, when the decoder was asked for them (an executor skips the hex round trip). */
  encoded?: readonly Uint8Array[]
}

/** A batch: a contiguous range of L2 blocks, the unit posted to L1 (one blob tx) and IPFS (one CID). */
export type Batch = {
  /** L2 chain id; every EIP-155/1559 transaction in the batch must carry it. */
  chainId: bigint
  /** Hash of the L2 block before `blocks[0]` (genesis hash for the first batch). */
  parentHash: Hex
  blocks: readonly BatchBlock[]
}
