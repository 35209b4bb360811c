/** The API the rollup Worker exposes to the offscreen document over comlink. */
export type RollupWorkerApi = {
  /** Opens the node's IndexedDB state and starts sequencing. */
  start(): Promise<void>
  /** A JSON-RPC request to the node (eth_*, rollup_*). */
  request(method: string, params: readonly unknown[]): Promise<unknown>
}
