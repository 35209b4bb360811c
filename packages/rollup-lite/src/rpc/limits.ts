/**
 * What one client may cost the node (README "Limits"). Every bound is an option of
 * createRollupNode (`rpcLimits`) and of the CLI.
 */
export type RpcLimits = {
  /** Gas an eth_call / eth_estimateGas may use (geth's --rpc.gascap; 0 = the block gas limit). */
  gasCap: bigint
  /** Wall-clock limit of one eth_call / eth_estimateGas, in ms (geth's --rpc.evmtimeout). */
  callTimeoutMs: number
  /** Requests in one JSON-RPC batch (geth's --rpc.batch-request-limit). */
  maxBatchRequests: number
  /** Gas all eth_call / eth_estimateGas of one batch may use together; later calls get -32005. */
  batchGasBudget: bigint
  /** Wall-clock budget of one batch, in ms; requests not started by then get -32005. */
  batchTimeoutMs: number
  /** Bytes of one batch's answer (geth's --rpc.batch-response-max-size); later answers get -32005. */
  maxBatchResponseBytes: number
  /** Storage keys in one eth_getProof. */
  maxProofKeys: number
  /** eth_subscribe subscriptions per connection, and over all connections. */
  maxSubscriptionsPerSession: number
  maxSubscriptions: number
  /** Admin methods (rollup_sealBlock): always allowed with `dev`, else only with this token. */
  dev: boolean
  adminToken?: string
}

export const DEFAULT_RPC_LIMITS: RpcLimits = {
  gasCap: 50_000_000n,
  callTimeoutMs: 5_000,
  maxBatchRequests: 1_000,
  batchGasBudget: 250_000_000n,
  batchTimeoutMs: 10_000,
  maxBatchResponseBytes: 25 * 1024 * 1024,
  maxProofKeys: 1_024,
  maxSubscriptionsPerSession: 100,
  maxSubscriptions: 10_000,
  dev: false,
}
