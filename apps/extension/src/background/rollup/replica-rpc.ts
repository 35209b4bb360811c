/**
 * One JSON-RPC request to a replica of the agent's chain, bounded in time: a replica is someone
 * else's server, so a slow or dead one costs at most REPLICA_TIMEOUT_MS, and its JSON-RPC error
 * comes back typed with the replica's code.
 */
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'

export const REPLICA_TIMEOUT_MS = 3_000

export type ReplicaCall = (url: string, method: string, params?: readonly unknown[]) => Promise<unknown>

export const replicaRequest: ReplicaCall = async (url, method, params = []) => {
  let body: { result?: unknown; error?: { code: number; message: string; data?: unknown } }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      signal: AbortSignal.timeout(REPLICA_TIMEOUT_MS),
    })
    body = (await res.json()) as typeof body
  } catch (error) {
    throw new ProviderRpcError(
      ErrorCode.chainDisconnected,
      `The replica ${url} is not answering: ${(error as Error).message}`,
    )
  }
  if (body.error) throw new ProviderRpcError(body.error.code, body.error.message, body.error.data)
  if (!('result' in body)) throw new ProviderRpcError(ErrorCode.internal, `The replica ${url} gave no result.`)
  return body.result
}
