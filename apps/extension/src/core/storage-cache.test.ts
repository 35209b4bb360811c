/** The worker's read cache over a storage area: fewer round trips, never an answer the area would not give. */
import { describe, expect, test } from 'vitest'
import { cachedArea, memoryArea, type StorageArea } from './storage.ts'

/** A memory area that counts reads and can hold one back. */
function countingArea() {
  const inner = memoryArea()
  let reads = 0
  let gate: Promise<void> | undefined
  const area: StorageArea = {
    ...inner,
    async get(key) {
      reads++
      const value = await inner.get(key)
      await gate
      return value
    },
  }
  return { area, inner, reads: () => reads, hold: (until: Promise<void>) => (gate = until) }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('cachedArea', () => {
  test('a key read again is answered from memory; a write makes the next read ask the area', async () => {
    const { area, reads } = countingArea()
    const cached = cachedArea(area)
    await cached.set({ account: { id: 1 } })
    expect(await cached.get('account')).toEqual({ account: { id: 1 } })
    expect(await cached.get('account')).toEqual({ account: { id: 1 } })
    expect(await cached.get('missing')).toEqual({})
    expect(await cached.get('missing')).toEqual({})
    expect(reads()).toBe(2)
    await cached.set({ account: { id: 2 } })
    expect(await cached.get('account')).toEqual({ account: { id: 2 } })
    await cached.remove('account')
    expect(await cached.get('account')).toEqual({})
  })

  test('a write straight to the area (another context) is seen once the area reports it', async () => {
    const { area, inner } = countingArea()
    const cached = cachedArea(area)
    await inner.set({ pairings: { a: 1 } })
    await settle()
    expect(await cached.get('pairings')).toEqual({ pairings: { a: 1 } })
    await inner.set({ pairings: { a: 2 } })
    await settle()
    expect(await cached.get('pairings')).toEqual({ pairings: { a: 2 } })
  })

  test('callers get copies: mutating what a read returned changes nothing', async () => {
    const cached = cachedArea(countingArea().area)
    await cached.set({ offers: { x: 1 } })
    const first = (await cached.get('offers')).offers as Record<string, number>
    await cached.get('offers')
    delete first.x
    expect(await cached.get('offers')).toEqual({ offers: { x: 1 } })
  })

  test('a read in flight across a write does not fill the cache with the old value', async () => {
    const { area, hold } = countingArea()
    const cached = cachedArea(area)
    await area.set({ policy: 'old' })
    await settle()
    let release!: () => void
    hold(new Promise<void>((r) => (release = r)))
    const slow = cached.get('policy')
    await cached.set({ policy: 'new' })
    release()
    expect(await slow).toEqual({ policy: 'old' }) // what the area held when it was asked
    expect(await cached.get('policy')).toEqual({ policy: 'new' })
  })
})
