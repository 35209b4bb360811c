/**
 * Offscreen document: hosts the rollup node's Web Worker (service workers cannot start Workers)
 * and relays the background's JSON-RPC to it with comlink. Only chrome.runtime exists here.
 */
import * as Comlink from 'comlink'
import { bakedDevnetConfig } from '../../core/config.ts'
import { deserializeError } from '../../core/errors.ts'
import { serveRuntime } from '../../core/messenger.ts'
import type { OffscreenProtocol } from '../../core/protocol.ts'
import RollupWorker from '../../rollup/rollup.worker.ts?worker'
import type { RollupWorkerApi } from '../../rollup/worker-api.ts'

const node = Comlink.wrap<RollupWorkerApi>(new RollupWorker())
const ready = node.start(bakedDevnetConfig().rollup)

serveRuntime<OffscreenProtocol>('offscreen', {
  async 'rollup:request'({ method, params }) {
    await ready
    const answer = await node.request(method, params ?? [])
    if ('error' in answer) throw deserializeError(answer.error)
    return answer.result
  },
  async 'rollup:ping'() {
    await ready
    return { ready: true }
  },
})
