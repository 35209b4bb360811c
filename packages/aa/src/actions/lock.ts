/**
 * The mutual exclusion a reservation runs under: read the ledger, evaluate, write it back, with no
 * other reservation in between. In the extension it is a Web Lock (shared by every page and the
 * service worker); in Node a promise queue per pipeline.
 */
export type Lock = <T>(fn: () => Promise<T>) => Promise<T>

/** One holder at a time within this process. */
export function createMemoryLock(): Lock {
  let queue: Promise<unknown> = Promise.resolve()
  return <T>(fn: () => Promise<T>) => {
    const next = queue.then(fn, fn)
    queue = next.catch(() => {})
    return next
  }
}
