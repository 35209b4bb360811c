/**
 * Scheduled triggers (decision 0604): one chrome.alarms alarm per enabled `schedule` trigger,
 * named `trigger:<id>`. Alarms wake the service worker with the popup closed; they are re-armed
 * from the stored triggers at every worker start (a browser restart may drop them) and whenever
 * the side panel changes a trigger.
 */
import { scripts, triggers } from '../../console/store.ts'
import { startRun } from '../scripts/runs.ts'

const PREFIX = 'trigger:'
/** Chrome's shortest alarm period. */
const MIN_PERIOD_MINUTES = 0.5

export const isTriggerAlarm = (name: string) => name.startsWith(PREFIX)

export async function armScheduledTriggers() {
  const wanted = new Map(
    (await triggers.all())
      .filter((t) => t.enabled && t.kind === 'schedule')
      .map((t) => [`${PREFIX}${t.id}`, Math.max(MIN_PERIOD_MINUTES, t.everyMinutes ?? 60)]),
  )
  for (const alarm of await chrome.alarms.getAll()) {
    if (!isTriggerAlarm(alarm.name)) continue
    if (wanted.get(alarm.name) === alarm.periodInMinutes) wanted.delete(alarm.name)
    else await chrome.alarms.clear(alarm.name)
  }
  for (const [name, periodInMinutes] of wanted) await chrome.alarms.create(name, { periodInMinutes })
}

/** A `trigger:<id>` alarm went off: run its script (a deleted or disabled trigger's alarm is cleared). */
export async function runScheduledTrigger(alarmName: string) {
  const trigger = await triggers.get(alarmName.slice(PREFIX.length))
  const script = trigger?.enabled ? await scripts.get(trigger.scriptId) : undefined
  if (!trigger || !script) return void (await chrome.alarms.clear(alarmName))
  await startRun({
    runId: crypto.randomUUID(),
    scriptId: script.id,
    scriptName: script.name,
    source: script.source,
    trigger: { kind: 'schedule', at: Date.now(), triggerId: trigger.id },
  })
}
