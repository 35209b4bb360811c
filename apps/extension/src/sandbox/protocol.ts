/** Messages between the script host (offscreen document) and one sandbox Worker. */
import type { TriggerEvent } from '../console/script-api.ts'
import type { LogEntry, RunLimits, RunOutcome } from './vm.ts'

/** What the background hands the host to start a run (the host strips TypeScript types itself). */
export type ScriptRunRequest = {
  runId: string
  scriptId?: string
  scriptName: string
  source: string
  trigger: TriggerEvent & { triggerId?: string }
  limits?: Partial<RunLimits>
}

export type ToSandbox =
  | { type: 'run'; source: string; limits: RunLimits; trigger: unknown }
  | { type: 'answer'; callId: number; result?: unknown; error?: { name: string; message: string; code?: number } }

export type FromSandbox =
  | { type: 'ready' }
  /** The script's first statement is about to run (epoch ms). */
  | { type: 'started'; at: number }
  | { type: 'call'; callId: number; method: string; args: unknown[] }
  | { type: 'log'; entry: LogEntry }
  /** Sent the instant heap growth was refused: the host terminates this Worker at once. */
  | { type: 'memoryExceeded'; at: number }
  /** `droppedLogs`: log entries past the per-run bound (run-channel.ts), not posted. */
  | { type: 'done'; outcome: RunOutcome; droppedLogs: number }

/** Epoch milliseconds with sub-millisecond precision, comparable across the host and its Workers. */
export const epochNow = () => performance.timeOrigin + performance.now()
