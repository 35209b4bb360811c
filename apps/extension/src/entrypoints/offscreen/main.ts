/**
 * Offscreen document: hosts the rollup node's Web Worker (service workers cannot start Workers)
 * and relays the background's JSON-RPC to it with comlink. Only chrome.runtime exists here, so the
 * background hands over the agent's genesis in this document's URL (background/rollup.ts).
 * It also hosts the scripting console's sandbox and its event triggers (decisions 0603, 0604).
 */
import * as Comlink from 'comlink'
import { hexToBytes } from 'viem'
import { deserializeError } from '../../core/errors.ts'
import { send, serve } from '../../core/messenger.ts'
import RollupWorker from '../../rollup/rollup.worker.ts?worker'
import type { RollupGenesisConfig, RollupWorkerApi } from '../../rollup/worker-api.ts'
import { watchEventTriggers } from '../../sandbox/event-triggers.ts'
import { createScriptHost } from '../../sandbox/host.ts'

const genesis = JSON.parse(new URLSearchParams(location.search).get('genesis') ?? 'null') as RollupGenesisConfig | null
if (!genesis) throw new Error('The offscreen document needs its rollup genesis in its URL')
const node = Comlink.wrap<RollupWorkerApi>(new RollupWorker())
const ready = node.start(genesis)
const scripts = createScriptHost(({ runId, scriptId }, method, args) =>
  send('script:call', { runId, scriptId, method, args }),
)
watchEventTriggers((topics, cursor, waitMs) => send('script:events', { topics, cursor, waitMs }), scripts.start)

// Who may send each message (the batcher key only from the background) is the messenger's ROUTES.
serve('offscreen', {
  async 'rollup:request'({ method, params }) {
    await ready
    const answer = await node.request(method, params ?? [])
    if ('error' in answer) throw deserializeError(answer.error)
    return answer.result
  },
  async 'rollup:configureBatcher'(setup) {
    await ready
    return node.configureBatcher(setup)
  },
  async 'rollup:batching'() {
    await ready
    return node.batching()
  },
  async 'rollup:publishFile'({ hex }) {
    await ready
    return node.publishFile(hexToBytes(hex))
  },
  async 'rollup:gossipPeers'({ peers }) {
    await ready
    return node.gossipPeers(peers)
  },
  async 'rollup:gossip'() {
    await ready
    return node.gossip()
  },
  async 'rollup:deposits'() {
    await ready
    return node.deposits()
  },
  async 'rollup:outputs'() {
    await ready
    return node.outputs()
  },
  async 'rollup:ping'() {
    await ready
    return { ready: true }
  },
  async 'script:run'(request) {
    const { runId } = await scripts.start(request)
    return { runId }
  },
  async 'script:stop'({ runId }) {
    return { stopped: scripts.stop(runId) }
  },
})
