import type { Hex } from 'viem'

/**
 * One L2 block as the batch carries it: only what derivation cannot recompute.
 * Everything else in the header (parent hash, state root, base fee, gas used...) is re-derived
 * by executing the transactions; see SPEC.md "Derivation".
 */
export type BatchBlock = {
  number: bigint
  timestamp: bigint
  /** Signed transactions, each in its canonical EIP-2718 serialization. */
  transactions: readonly Hex[]
}

/** A batch: a contiguous range of L2 blocks, the unit posted to L1 (one blob tx) and IPFS (one CID). */
export type Batch = {
  /** L2 chain id; every EIP-155/1559 transaction in the batch must carry it. */
  chainId: bigint
  /** Hash of the L2 block before `blocks[0]` (genesis hash for the first batch). */
  parentHash: Hex
  blocks: readonly BatchBlock[]
}
