/**
 * Main-thread side: wraps a Worker running worker.ts into a typed API and an EIP-1193 provider
 * (use with viem's `custom()` transport, ethers' BrowserProvider, wagmi's injected connector).
 */
import * as Comlink from 'comlink'
import type { JsonRpcResponse } from '../rpc/handler.ts'
import type { WorkerNodeApi } from './api.ts'

export class WorkerRpcError extends Error {
  override name = 'WorkerRpcError'
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
