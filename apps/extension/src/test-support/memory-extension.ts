/**
 * Unit tests' extension: in-memory storage areas behind every typed item, and the two browser calls
 * the approval flow makes outside storage (opening the approval window, the policy's lock). The
 * real extension runs in Chromium in the e2e suite; this is for logic that needs no browser.
 */
import { vi } from 'vitest'
import { memoryArea, useStorageAreas } from '../core/storage.ts'

/** navigator.locks.request's contract: one holder per name at a time, in request order. */
function inProcessLocks() {
  const tails = new Map<string, Promise<unknown>>()
  return {
    request<T>(name: string, fn: () => Promise<T>): Promise<T> {
      const run = (tails.get(name) ?? Promise.resolve()).then(fn)
      tails.set(
        name,
        run.catch(() => {}),
      )
      return run
    },
  }
}

export function useMemoryExtension() {
  const areas = { local: memoryArea(), session: memoryArea() }
  useStorageAreas(areas)
  const openedWindows: { url?: string }[] = []
  vi.stubGlobal('navigator', { locks: inProcessLocks() })
  vi.stubGlobal('chrome', {
    runtime: { getURL: (path: string) => `chrome-extension://seed${path}` },
    windows: {
      async create(options: { url?: string }) {
        openedWindows.push(options)
        return { id: openedWindows.length }
      },
    },
  })
  return { areas, openedWindows }
}
