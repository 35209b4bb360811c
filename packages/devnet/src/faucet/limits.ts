/**
 * The faucet's rate limits: so many drips per address and so many in all per sliding window. Pure
 * and bounded: an entry exists only for a drip granted inside the window, and the global limit caps
 * how many that can be, so no stream of requests grows its memory.
 */
export type Window = { max: number; windowMs: number }
export type FaucetLimits = { perAddress: Window; global: Window }

export const DEFAULT_LIMITS: FaucetLimits = {
  perAddress: { max: 1, windowMs: 10 * 60_000 },
  global: { max: 30, windowMs: 60_000 },
}

export type Refusal = { scope: 'address' | 'global'; retryAfterMs: number }

export function createRateLimiter(limits: FaucetLimits, now: () => number = Date.now) {
  const granted: { key: string; at: number }[] = []
  const prune = (at: number) => {
    const oldest = at - Math.max(limits.perAddress.windowMs, limits.global.windowMs)
    while (granted.length && granted[0]!.at <= oldest) granted.shift()
  }
  const within = (window: Window, at: number, key?: string) =>
    granted.filter((g) => g.at > at - window.windowMs && (key === undefined || g.key === key))
  const refusal = (scope: Refusal['scope'], window: Window, hits: { at: number }[], at: number): Refusal => ({
    scope,
    retryAfterMs: hits[hits.length - window.max]!.at + window.windowMs - at,
  })
  return {
    /** Takes a slot for `key` now, or says which limit refuses it and for how long. */
    take(key: string): { ok: true; release: () => void } | ({ ok: false } & Refusal) {
      const at = now()
      prune(at)
      const mine = within(limits.perAddress, at, key)
      if (mine.length >= limits.perAddress.max) return { ok: false, ...refusal('address', limits.perAddress, mine, at) }
      const all = within(limits.global, at)
      if (all.length >= limits.global.max) return { ok: false, ...refusal('global', limits.global, all, at) }
      const entry = { key, at }
      granted.push(entry)
      // A drip that failed to send gives its slot back.
      const release = () => {
        const i = granted.indexOf(entry)
        if (i >= 0) granted.splice(i, 1)
      }
      return { ok: true, release }
    },
    size: () => granted.length,
  }
}
