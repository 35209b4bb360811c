/**
 * The event-trigger loop, in the offscreen document (decision 0604): it lives as long as the rollup
 * does (the background keeps the document open, popup closed or not), long-polls the capability
 * API's `events.poll` through the background for the topics the enabled triggers need, and starts
 * each fired trigger's script in the sandbox host. A trigger whose previous run is still going is
 * skipped rather than queued.
 */
import type { AgentEvent, EventTopic } from '@seed/agent/api'
import { scripts, triggers } from '../console/store.ts'
import { firedBy, type TriggerState, topicsFor } from '../console/triggers.ts'
import type { ScriptRunRequest } from './host.ts'

type Poll = (
  topics: EventTopic[],
  cursor: number | undefined,
  waitMs: number,
) => Promise<{ cursor: number; events: AgentEvent[] }>
type Start = (request: ScriptRunRequest) => Promise<{ runId: string; done: Promise<void> }>

/** A long poll returns at the first event or after this; trigger changes are seen within it. */
const WAIT_MS = 3_000
const IDLE_MS = 1_000
const RETRY_MS = 2_000

export function watchEventTriggers(poll: Poll, start: Start) {
  const state: TriggerState = { above: new Set() }
  const running = new Set<string>()
  let cursor: number | undefined
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

  async function fire(event: AgentEvent, list: Awaited<ReturnType<typeof triggers.all>>) {
    for (const trigger of firedBy(list, event, state)) {
      if (running.has(trigger.id)) continue
      const script = await scripts.get(trigger.scriptId)
      if (!script) continue
      running.add(trigger.id)
      const { done } = await start({
        runId: crypto.randomUUID(),
        scriptId: script.id,
        scriptName: script.name,
        source: script.source,
        trigger: { kind: 'event', event, triggerId: trigger.id },
      })
      void done.finally(() => running.delete(trigger.id))
    }
  }

  void (async () => {
    for (;;) {
      try {
        const list = await triggers.all()
        const topics = topicsFor(list)
        if (!topics.length) {
          cursor = undefined
          await pause(IDLE_MS)
          continue
        }
        const answer = await poll(topics, cursor, WAIT_MS)
        cursor = answer.cursor
        for (const event of answer.events) await fire(event, list)
      } catch {
        await pause(RETRY_MS) // the worker restarting or L1 down: poll again
      }
    }
  })()
}
