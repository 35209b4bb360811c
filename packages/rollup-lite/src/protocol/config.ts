/**
 * The rollup config: the constants every node of one chain agrees on (SPEC.md §1.2).
 * A block carries only its timestamp and transactions; every other header field is one of these
 * or computed by executing the block (header.ts).
 */
import type { Address, Hex } from 'viem'
import type { Genesis } from '../chain/types.ts'
import { MAX_BLOB_DATA_SIZE } from './codec/blob.ts'

/** Block gas limit when the genesis does not set one. */
export const DEFAULT_GAS_LIMIT = 60_000_000n
/** Base fee of the genesis block when the genesis does not set one (1 gwei). */
export const DEFAULT_INITIAL_BASE_FEE = 1_000_000_000n
/** Coinbase of every block when the genesis does not set one: fees are burnt to nobody. */
export const DEFAULT_COINBASE: Address = '0x0000000000000000000000000000000000000000'
/** `extraData` of every block after genesis. */
export const BLOCK_EXTRA_DATA: Hex = '0x'
/** geth's txMaxSize: 4 slots of 32 KiB. */
export const MAX_TX_SIZE = 128 * 1024
/**
 * Raw signed tx bytes per block: 4 blobs' worth of data (4 × 130,044), so a block's channel (tx
 * fields in columns, deflated, at worst a little larger than the raw txs) always fits the
 * batcher's 6 blobs. A block holds at least one tx whatever its size (≤ MAX_TX_SIZE). A sequencer
 * rule, not a validity rule: derivation replays a posted block whatever its size.
 */
export const MAX_BLOCK_TX_BYTES = 4 * MAX_BLOB_DATA_SIZE
/**
 * v2 (deposits, SPEC.md §10): an L2 block's L1 origin is at most the latest L1 block minus this
 * many blocks when it is sealed, so a shallow L1 reorg cannot remove a deposit the chain included.
 */
export const L1_CONFIRMATION_DEPTH = 2n

export type RollupConfig = {
  chainId: bigint
  gasLimit: bigint
  coinbase: Address
  /** `extraData` of blocks after genesis (the genesis block carries the genesis file's own). */
  extraData: Hex
}

/** The config of the chain a genesis starts; `overrides` are a node's own settings (tests, CLI). */
export function rollupConfig(
  genesis: Genesis,
  overrides: { gasLimit?: bigint; coinbase?: Address } = {},
): RollupConfig {
  return {
    chainId: BigInt(genesis.chainId),
    gasLimit: overrides.gasLimit ?? genesis.gasLimit ?? DEFAULT_GAS_LIMIT,
    coinbase: overrides.coinbase ?? genesis.coinbase ?? DEFAULT_COINBASE,
    extraData: BLOCK_EXTRA_DATA,
  }
}
