/** `log`: a caller's lines, kept (newest 200) for the popup's pairing list and the console's output. */
import { stored } from '../../core/storage.ts'
import type { ResolvedCaller } from './caller.ts'

const MAX_LINES = 200
const MAX_LINE = 2_000

export async function appendLog(caller: ResolvedCaller, level: string, message: string) {
  const lines = await stored.agentLog.get()
  const line = { at: Date.now(), by: caller.origin, level, message: message.slice(0, MAX_LINE) }
  await stored.agentLog.set([line, ...lines].slice(0, MAX_LINES))
  return null
}
