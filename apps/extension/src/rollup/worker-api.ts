/** The API the rollup Worker exposes to the offscreen document over comlink. */
import type { SerializedError } from '../core/errors.ts'

export type RollupGenesisConfig = { chainId: number; funded: `0x${string}`[] }

/** JSON-RPC errors cross comlink as values (comlink keeps only an Error's message). */
export type RollupAnswer = { result: unknown } | { error: SerializedError }

export type RollupWorkerApi = {
  /** Opens the node's IndexedDB state (or creates it from genesis) and starts sequencing. */
  start(genesis: RollupGenesisConfig): Promise<{ chainId: number }>
  /** A JSON-RPC request to the node (eth_*, rollup_*). */
  request(method: string, params: readonly unknown[]): Promise<RollupAnswer>
}
