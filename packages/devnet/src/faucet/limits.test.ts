import { describe, expect, test } from 'vitest'
import { createRateLimiter } from './limits.ts'

const limits = { perAddress: { max: 1, windowMs: 1000 }, global: { max: 3, windowMs: 100 } }

describe('faucet rate limiter', () => {
  test('one drip per address per window; the refusal says when to come back', () => {
    let now = 0
    const limiter = createRateLimiter(limits, () => now)
    expect(limiter.take('a').ok).toBe(true)
    now = 400
    expect(limiter.take('a')).toEqual({ ok: false, scope: 'address', retryAfterMs: 600 })
    now = 1000
    expect(limiter.take('a').ok).toBe(true)
  })

  test('the global window refuses a burst of new addresses, then lets them in again', () => {
    let now = 0
    const limiter = createRateLimiter(limits, () => now)
    for (const key of ['a', 'b', 'c']) expect(limiter.take(key).ok).toBe(true)
    expect(limiter.take('d')).toEqual({ ok: false, scope: 'global', retryAfterMs: 100 })
    now = 100
    expect(limiter.take('d').ok).toBe(true)
  })

  test('a released slot is free again, and memory holds only drips granted within the longest window', () => {
    let now = 0
    const limiter = createRateLimiter(limits, () => now)
    const slot = limiter.take('a')
    if (!slot.ok) throw new Error('refused')
    slot.release()
    expect(limiter.take('a').ok).toBe(true)
    for (let i = 0; i < 10_000; i++) {
      now += 10
      limiter.take(`addr-${i}`)
    }
    // At most the global limit per 100 ms over the 1 s address window.
    expect(limiter.size()).toBeLessThanOrEqual(30)
  })
})
