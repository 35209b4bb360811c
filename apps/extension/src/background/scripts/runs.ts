/**
 * Starting and stopping script runs from the background: the runs happen in the offscreen
 * document's sandbox host (a service worker cannot start Workers, and the wallet must keep
 * answering while a script runs); this makes sure the document is there and hands the run over.
 */
import type { TriggerEvent } from '../../console/script-api.ts'
import { send } from '../../core/messenger.ts'
import type { RunLimits } from '../../sandbox/vm.ts'
import { ensureOffscreen } from '../rollup/rollup.ts'

export type StartRun = {
  runId: string
  scriptId?: string
  scriptName: string
  source: string
  trigger: TriggerEvent & { triggerId?: string }
  limits?: Partial<RunLimits>
}

export async function startRun(run: StartRun) {
  await ensureOffscreen()
  return send('script:run', run)
}

export async function stopRun(runId: string) {
  await ensureOffscreen()
  return send('script:stop', { runId })
}
