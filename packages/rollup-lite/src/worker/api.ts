/** The node as a Worker exposes it over comlink (shared by the worker entry and its clients). */
import type { WorkerBatcherConfig } from '../batch/attach.ts'
import type { Genesis } from '../chain/types.ts'
import type { JsonRpcResponse } from '../rpc/handler.ts'
import type { RpcLimits } from '../rpc/limits.ts'

export type WorkerNodeConfig = {
  /** IndexedDB database name (one chain per name). */
  dbName: string
  genesis: Genesis
  blockTime?: number
  maxBlockTxs?: number
  /**
   * URL of the sender-recovery Worker bundle (worker/recover-worker.ts); default `./recover.js`
   * next to this Worker. `null` recovers on the node's own thread.
   */
  recoverWorkerUrl?: string | null
  /** Post batches to L1 blobs + IPFS from this Worker (src/batch/attach.ts). */
  batcher?: WorkerBatcherConfig
  /** Call gas cap and timeout, batch and subscription bounds (README "Limits"). */
  rpcLimits?: Partial<RpcLimits>
}

export type WorkerBlockEvent = { number: string; hash: string; stateRoot: string; txCount: number }

export type WorkerNodeApi = {
  start(config: WorkerNodeConfig): Promise<{ chainId: string; head: string }>
  /** JSON-RPC request (object or batch) → response; pass `notify` to receive eth_subscribe pushes. */
  handle(request: unknown): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined>
  /** Registers a (comlink-proxied) callback for eth_subscription notifications and sealed blocks. */
  subscribe(listener: (message: unknown) => void): Promise<void>
  status(): Promise<Record<string, unknown>>
  sealNow(): Promise<string | null>
  /** Resolves when every sealed block is committed to IndexedDB. */
  flushed(): Promise<void>
  close(): Promise<void>
}
