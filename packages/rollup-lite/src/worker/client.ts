/**
 * Main-thread side: wraps a Worker running worker.ts into a typed API and an EIP-1193 provider
 * (use with viem's `custom()` transport, ethers' BrowserProvider, wagmi's injected connector).
 */
import * as Comlink from 'comlink'
import { RpcError } from '../chain/errors.ts'
import type { JsonRpcResponse } from '../rpc/handler.ts'
import type { WorkerNodeApi } from './api.ts'

/** The node's JSON-RPC error as it crossed the Worker boundary (same code, message and data). */
export class WorkerRpcError extends RpcError {
  override name = 'WorkerRpcError'
}

export type WorkerNodeClient = {
  api: Comlink.Remote<WorkerNodeApi>
  request(args: { method: string; params?: unknown[] }): Promise<unknown>
  terminate(): void
}

export function connectWorkerNode(worker: Worker): WorkerNodeClient {
  const api = Comlink.wrap<WorkerNodeApi>(worker)
  let id = 0
  return {
    api,
    async request({ method, params = [] }) {
      const res = (await api.handle({ jsonrpc: '2.0', id: ++id, method, params })) as JsonRpcResponse
      if (res.error) throw new WorkerRpcError(res.error.code, res.error.message, res.error.data)
      return res.result
    },
    terminate() {
      api[Comlink.releaseProxy]()
      worker.terminate()
    },
  }
}

export { Comlink }
