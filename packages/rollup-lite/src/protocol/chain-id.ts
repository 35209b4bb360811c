/**
 * Each agent's rollup has its own EIP-155 chain id, derived from its L1 inbox (SPEC.md §0), so a tx
 * signed for one agent's chain never replays on another's. RollupInboxFactory computes the same rule
 * on-chain and registers the id, taking the next attempt when another inbox already holds one.
 */
import { type Address, encodeAbiParameters, hexToBigInt, keccak256, stringToHex } from 'viem'

/** Chain ids live in [2^44, 2^45): above the ids public chains use, below 2^53 (exact in JavaScript). */
export const ROLLUP_CHAIN_ID_BASE = 2n ** 44n
const CHAIN_ID_TAG = keccak256(stringToHex('seed/rollup-chain-id/v1'))

/** The `attempt`-th candidate chain id of `inbox` on the L1 `l1ChainId` (attempt 0 unless it collided). */
export function rollupChainIdOf(l1ChainId: number | bigint, inbox: Address, attempt = 0n): number {
  const digest = keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }, { type: 'uint256' }],
      [CHAIN_ID_TAG, BigInt(l1ChainId), inbox, attempt],
    ),
  )
  return Number(ROLLUP_CHAIN_ID_BASE + (hexToBigInt(digest) % ROLLUP_CHAIN_ID_BASE))
}
