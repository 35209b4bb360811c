/**
 * The rollup node's Worker. The node itself (sequencer over IndexedDB, JSON-RPC handler) comes
 * from @seed/rollup-lite; until that package is merged this worker reports it as unavailable.
 */
import * as Comlink from 'comlink'
import type { RollupWorkerApi } from './worker-api.ts'

class RollupUnavailableError extends Error {
  shortMessage = 'The rollup node is not available'
  constructor() {
    super('The rollup node is not available in this build (@seed/rollup-lite not merged yet).')
  }
}

const api: RollupWorkerApi = {
  async start() {},
  async request() {
    throw new RollupUnavailableError()
  },
}

Comlink.expose(api)
