/** JSON-RPC errors (EIP-1474 codes) with geth-like messages. */
export class RpcError extends Error {
  override name = 'RpcError'
  readonly shortMessage: string
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
    this.shortMessage = message
  }
}

export const RpcCodes = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  /** geth's generic server error: nonce too low, insufficient funds, intrinsic gas too low... */
  server: -32000,
  resourceNotFound: -32001,
  /** EIP-1474 "Transaction rejected": underpriced, replacement underpriced, pool limits. */
  txRejected: -32003,
  limitExceeded: -32005,
  /** Execution reverted (eth_call / eth_estimateGas), as geth. */
  executionReverted: 3,
} as const

export const invalidParams = (message: string) => new RpcError(RpcCodes.invalidParams, message)
export const serverError = (message: string) => new RpcError(RpcCodes.server, message)
export const txRejected = (message: string) => new RpcError(RpcCodes.txRejected, message)
