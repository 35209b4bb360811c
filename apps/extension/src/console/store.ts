/**
 * The console's records in IndexedDB (the extension origin's, shared by the side panel, the
 * offscreen document that runs scripts and the service worker that arms triggers): saved scripts,
 * run history (with each run's output log) and triggers.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb'
import type { LogEntry } from '../sandbox/vm.ts'
import type { TriggerEvent } from './script-api.ts'

export type SavedScript = { id: string; name: string; source: string; updatedAt: number }

export type RunStatus = 'running' | 'ok' | 'error' | 'killed' | 'stopped'
export type RunRecord = {
  id: string
  scriptId?: string
  scriptName: string
  /** Why it ran; `triggerId` when a trigger started it. */
  trigger: TriggerEvent & { triggerId?: string }
  startedAt: number
  endedAt?: number
  status: RunStatus
  logs: LogEntry[]
  /** Log entries dropped past the per-run bound. */
  droppedLogs?: number
  result?: unknown
  error?: string
  killed?: { reason: 'cpu' | 'memory' | 'stop'; overMs: number }
  cpuMs?: number
}

export type TriggerKind = 'schedule' | 'block' | 'baseFee' | 'payment' | 'batch'
export type TriggerRecord = {
  id: string
  scriptId: string
  kind: TriggerKind
  /** schedule: every N minutes (chrome.alarms, at least 0.5). */
  everyMinutes?: number
  /** baseFee: fires when the L1 base fee rises above this (gwei). */
  aboveGwei?: string
  enabled: boolean
  createdAt: number
}

interface ConsoleDb extends DBSchema {
  scripts: { key: string; value: SavedScript }
  runs: { key: string; value: RunRecord; indexes: { startedAt: number; scriptId: string } }
  triggers: { key: string; value: TriggerRecord }
}

/** Runs kept: older ones are dropped as new ones start. */
export const RUNS_KEPT = 200

let db: Promise<IDBPDatabase<ConsoleDb>> | undefined
function open() {
  db ??= openDB<ConsoleDb>('seed-console', 1, {
    upgrade(database) {
      database.createObjectStore('scripts', { keyPath: 'id' })
      const runs = database.createObjectStore('runs', { keyPath: 'id' })
      runs.createIndex('startedAt', 'startedAt')
      runs.createIndex('scriptId', 'scriptId')
      database.createObjectStore('triggers', { keyPath: 'id' })
    },
  })
  return db
}

export const scripts = {
  all: async () => (await (await open()).getAll('scripts')).sort((a, b) => a.name.localeCompare(b.name)),
  get: async (id: string) => (await open()).get('scripts', id),
  put: async (script: SavedScript) => void (await (await open()).put('scripts', script)),
  remove: async (id: string) => (await open()).delete('scripts', id),
}

export const runs = {
  get: async (id: string) => (await open()).get('runs', id),
  put: async (run: RunRecord) => void (await (await open()).put('runs', run)),
  /** Newest first; of one script when `scriptId` is given. */
  async recent(limit = 50, scriptId?: string) {
    const database = await open()
    const all = scriptId ? await database.getAllFromIndex('runs', 'scriptId', scriptId) : await database.getAll('runs')
    return all.sort((a, b) => b.startedAt - a.startedAt).slice(0, limit)
  },
  /** Drops the oldest runs past `RUNS_KEPT`. */
  async prune() {
    const database = await open()
    const keys = await database.getAllKeysFromIndex('runs', 'startedAt')
    const tx = database.transaction('runs', 'readwrite')
    await Promise.all(keys.slice(0, Math.max(0, keys.length - RUNS_KEPT)).map((key) => tx.store.delete(key)))
    await tx.done
  },
}

export const triggers = {
  all: async () => (await open()).getAll('triggers'),
  get: async (id: string) => (await open()).get('triggers', id),
  put: async (trigger: TriggerRecord) => void (await (await open()).put('triggers', trigger)),
  remove: async (id: string) => (await open()).delete('triggers', id),
}
