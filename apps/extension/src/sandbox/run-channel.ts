/**
 * What one run may push out of its sandbox Worker, bounded (the host, the offscreen document, also
 * runs the rollup): log entries (count, and size per entry, cut in the Worker before they are
 * posted) and capability calls in flight at once (a script firing calls without awaiting them).
 */
import type { FromSandbox } from './protocol.ts'
import type { LogEntry, VmHost } from './vm.ts'

export const MAX_LOG_ENTRIES = 500
export const MAX_LOG_ENTRY_CHARS = 4_000
export const MAX_CALLS_IN_FLIGHT = 16

export class TooManyCallsError extends Error {
  override name = 'TooManyCallsError'
  code = -32005 // EIP-1474 "limit exceeded"
  constructor() {
    super(`More than ${MAX_CALLS_IN_FLIGHT} capability calls in flight: await some before making more`)
  }
}

function boundedEntry(entry: LogEntry): LogEntry {
  const json = JSON.stringify(entry.values)
  if (json.length <= MAX_LOG_ENTRY_CHARS) return entry
  return { ...entry, values: [`${json.slice(0, MAX_LOG_ENTRY_CHARS)}…`] }
}

export function createRunChannel(post: (message: FromSandbox) => void) {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>()
  let nextCallId = 1
  let logged = 0
  let droppedLogs = 0
  const host: VmHost = {
    log(entry) {
      if (logged >= MAX_LOG_ENTRIES) return void droppedLogs++
      logged++
      post({ type: 'log', entry: boundedEntry(entry) })
    },
    call(method, args) {
      if (pending.size >= MAX_CALLS_IN_FLIGHT) return Promise.reject(new TooManyCallsError())
      return new Promise((resolve, reject) => {
        const callId = nextCallId++
        pending.set(callId, { resolve, reject })
        post({ type: 'call', callId, method, args })
      })
    },
  }
  return {
    host,
    answer(callId: number, result: unknown, error?: { name: string; message: string; code?: number }) {
      const call = pending.get(callId)
      pending.delete(callId)
      if (error) call?.reject(Object.assign(new Error(error.message), error))
      else call?.resolve(result)
    },
    get droppedLogs() {
      return droppedLogs
    },
  }
}
