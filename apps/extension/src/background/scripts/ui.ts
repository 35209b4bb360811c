/** The console's requests to the background (the side panel is an extension page: `ui:*` routes). */
import type { Handlers } from '../../core/messenger.ts'
import type { BackgroundProtocol, ConsoleMessage } from '../../core/protocol.ts'
import { poll } from '../agent/events.ts'
import { armScheduledTriggers } from '../triggers/schedule.ts'
import { scriptCapabilityCall } from './capability-call.ts'
import { startRun, stopRun } from './runs.ts'

type ConsoleMessages = Pick<BackgroundProtocol, ConsoleMessage>

/** The event triggers' long poll has its own caller key (what it saw is kept apart from any agent's). */
const TRIGGER_WATCH = 'console:triggers'

export const consoleHandlers: Handlers<ConsoleMessages> = {
  'ui:runScript': (run) => startRun({ ...run, trigger: { kind: 'manual' } }),
  'ui:stopScript': ({ runId }) => stopRun(runId),
  async 'ui:triggersChanged'() {
    await armScheduledTriggers()
    return null
  },
  'script:call': (call) => scriptCapabilityCall(call),
  'script:events': ({ topics, cursor, waitMs }) => poll(TRIGGER_WATCH, topics, cursor, waitMs),
}
