/** EIP-1193 / EIP-1474 provider errors, serializable across every messenger hop. */
export const ErrorCode = {
  userRejected: 4001,
  unauthorized: 4100,
  unsupportedMethod: 4200,
  disconnected: 4900,
  chainDisconnected: 4901,
  unrecognizedChain: 4902,
  transactionRejected: -32003,
  limitExceeded: -32005,
  invalidParams: -32602,
  internal: -32603,
} as const

export type SerializedError = { code: number; message: string; data?: unknown }

export class ProviderRpcError extends Error {
  override name = 'ProviderRpcError'
  readonly code: number
  readonly data?: unknown
  get shortMessage() {
    return this.message
  }
  constructor(code: number, message: string, data?: unknown) {
    super(message)
    this.code = code
    this.data = data
  }
}

export const userRejected = (what = 'request') =>
  new ProviderRpcError(ErrorCode.userRejected, `User rejected the ${what}.`)
export const unauthorized = (message = 'The requested account and/or method has not been authorized by the user.') =>
  new ProviderRpcError(ErrorCode.unauthorized, message)
export const unsupportedMethod = (method: string) =>
  new ProviderRpcError(ErrorCode.unsupportedMethod, `The wallet does not support the method "${method}".`)
export const invalidParams = (message: string) => new ProviderRpcError(ErrorCode.invalidParams, message)
export const disconnected = (message = 'The wallet is disconnected.') =>
  new ProviderRpcError(ErrorCode.disconnected, message)

export function serializeError(error: unknown): SerializedError {
  if (error instanceof ProviderRpcError) return { code: error.code, message: error.message, data: error.data }
  const e = error as { code?: unknown; shortMessage?: string; message?: string; details?: string }
  // viem RPC errors carry the node's EIP-1474 code; keep it so dApps see the chain's own error.
  const code = typeof e?.code === 'number' ? e.code : ErrorCode.internal
  return { code, message: e?.shortMessage ?? e?.message ?? String(error), data: e?.details }
}

export function deserializeError(error: SerializedError): ProviderRpcError {
  return new ProviderRpcError(error.code, error.message, error.data)
}
