/** Page script for browser.e2e.ts: starts the Worker node (src/worker/worker.ts) with its batcher. */
import type { WorkerNodeConfig } from '../worker/api.ts'
import { connectWorkerNode, type WorkerNodeClient } from '../worker/client.ts'

let client: WorkerNodeClient | undefined

;(globalThis as Record<string, unknown>).batchTest = {
  async start(configJson: string) {
    const config = JSON.parse(configJson, (_k, v) =>
      typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
    ) as WorkerNodeConfig
    client = connectWorkerNode(new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }))
    return client.api.start(config)
  },
  request: (method: string, params: unknown[] = []) => client!.request({ method, params }),
  sealNow: () => client!.api.sealNow(),
  status: () => client!.api.status(),
  close: () => client!.api.close(),
}
