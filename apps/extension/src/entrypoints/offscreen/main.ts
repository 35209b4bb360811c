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

/** The batcher key may come only from this extension's own contexts (the background). */
function trustedSender(sender: chrome.runtime.MessageSender) {
  const fromExtensionPage = sender.url?.startsWith(chrome.runtime.getURL('')) && !sender.tab
  if (sender.id !== chrome.runtime.id || !fromExtensionPage)
    throw new Error('Only the Seed extension may configure its batcher')
}

serveRuntime<OffscreenProtocol>('offscreen', {
  async 'rollup:request'({ method, params }) {
    await ready
    const answer = await node.request(method, params ?? [])
    if ('error' in answer) throw deserializeError(answer.error)
    return answer.result
  },
  async 'rollup:configureBatcher'(setup, sender) {
    trustedSender(sender)
    await ready
    return node.configureBatcher(setup)
  },
  async 'rollup:batching'() {
    await ready
    return node.batching()
  },
  async 'rollup:ping'() {
    await ready
    return { ready: true }
  },
})
