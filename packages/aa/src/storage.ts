/**
 * The one persistence seam of this package (vault envelopes, audit log, policy state).
 * The extension supplies chrome.storage / IndexedDB; Node uses `createFileStorage` from '@seed/aa/node'.
 * Values are JSON-serialisable.
 */
export type KeyValueStorage = {
  get<T = unknown>(key: string): Promise<T | undefined>
  set(key: string, value: unknown): Promise<void>
  delete(key: string): Promise<void>
}

/** Non-persistent storage for tests and ephemeral agents. Values are deep-copied so callers can't alias them. */
export function createMemoryStorage(): KeyValueStorage {
  const map = new Map<string, string>()
  return {
    async get(key) {
      const raw = map.get(key)
      return raw === undefined ? undefined : JSON.parse(raw)
    },
    async set(key, value) {
      map.set(key, JSON.stringify(value))
    },
    async delete(key) {
      map.delete(key)
    },
  }
}
