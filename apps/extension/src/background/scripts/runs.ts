/**
 * Starting and stopping script runs from the background: the runs happen in the offscreen
 * document's sandbox host (a service worker cannot start Workers, and the wallet must keep
 * answering while a script runs); this makes sure the document is there and hands the run over.
 */
import { send } from '../../core/messenger.ts'
import type { ScriptRunRequest } from '../../sandbox/protocol.ts'
import { ensureOffscreen } from '../rollup/rollup.ts'

export async function startRun(run: ScriptRunRequest) {
  await ensureOffscreen()
  return send('script:run', run)
}

export async function stopRun(runId: string) {
  await ensureOffscreen()
  return send('script:stop', { runId })
}
