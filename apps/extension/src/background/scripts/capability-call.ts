/**
 * A running script's capability call, as the sandbox host relays it: the script's positional
 * arguments become the method's params, and the call goes to the one dispatcher (and, for sends and
 * signatures, the one action pipeline) with the caller `script:<id>`.
 */
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import { invokeCapability, isCapabilityMethod } from '../agent/dispatch.ts'

/** Methods whose script form takes positional arguments other than one params object. */
const POSITIONAL: Record<string, (args: unknown[]) => unknown> = {
  'x402.fetch': ([url, init]) => ({ url, init }),
}

export async function scriptCapabilityCall(call: { scriptId?: string; method: string; args: unknown[] }) {
  if (!isCapabilityMethod(call.method) || !Array.isArray(call.args))
    throw new ProviderRpcError(ErrorCode.unsupportedMethod, `Unknown capability "${String(call.method)}"`)
  const params = POSITIONAL[call.method]?.(call.args) ?? call.args[0]
  return invokeCapability({ kind: 'script', scriptId: call.scriptId ?? 'unsaved' }, call.method, params)
}
