/**
 * Behaviour every KV implementation must have. Plain async checks (no test runner) so the same
 * suite runs under vitest in Node and inside a browser Worker for IndexedDB.
 */
import { type KV, KvClosedError } from './kv.ts'

export type ConformanceResult = { name: string; ok: boolean; error?: string }

const bytes = (...b: number[]) => new Uint8Array(b)

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

function equal(a: Uint8Array | undefined, b: Uint8Array, what: string) {
  assert(a instanceof Uint8Array, `${what}: expected Uint8Array, got ${Object.prototype.toString.call(a)}`)
  assert(a.length === b.length && a.every((x, i) => x === b[i]), `${what}: bytes differ`)
}

/** `open` must open the same store each time (to check persistence across close/reopen). */
export async function runKvConformance(open: () => Promise<KV>): Promise<ConformanceResult[]> {
  const checks: [string, () => Promise<void>][] = [
    [
      'missing keys read as undefined',
      async () => {
        const kv = await open()
        assert((await kv.get('nope')) === undefined, 'expected undefined')
        await kv.close()
      },
    ],
    [
      'batch puts are readable, including empty, zero-filled and 1 MiB values',
      async () => {
        const kv = await open()
        const big = new Uint8Array(1 << 20).map((_, i) => i % 251)
        await kv.batch([
          { type: 'put', key: 'a', value: bytes(1, 2, 3) },
          { type: 'put', key: 'zero', value: bytes(0, 0, 0, 0) },
          { type: 'put', key: 'empty', value: bytes() },
          { type: 'put', key: 'big', value: big },
        ])
        equal(await kv.get('a'), bytes(1, 2, 3), 'a')
        equal(await kv.get('zero'), bytes(0, 0, 0, 0), 'zero')
        equal(await kv.get('empty'), bytes(), 'empty')
        equal(await kv.get('big'), big, 'big')
        await kv.close()
      },
    ],
    [
      'later ops in a batch win; deletes remove',
      async () => {
        const kv = await open()
        await kv.batch([
          { type: 'put', key: 'x', value: bytes(1) },
          { type: 'put', key: 'x', value: bytes(2) },
          { type: 'put', key: 'y', value: bytes(3) },
          { type: 'del', key: 'a' },
        ])
        equal(await kv.get('x'), bytes(2), 'x')
        assert((await kv.get('a')) === undefined, 'a should be deleted')
        await kv.batch([])
        equal(await kv.get('y'), bytes(3), 'empty batch is a no-op')
        await kv.close()
      },
    ],
    [
      'data survives close and reopen',
      async () => {
        const kv = await open()
        equal(await kv.get('x'), bytes(2), 'x after reopen')
        equal(await kv.get('y'), bytes(3), 'y after reopen')
        await kv.close()
      },
    ],
    [
      'a later batch overrides an earlier one; a later delete hides an earlier put',
      async () => {
        const kv = await open()
        await kv.batch([
          { type: 'put', key: 'over', value: bytes(1) },
          { type: 'put', key: 'gone', value: bytes(2) },
        ])
        await kv.batch([{ type: 'put', key: 'over', value: bytes(3) }])
        await kv.batch([{ type: 'del', key: 'gone' }])
        equal(await kv.get('over'), bytes(3), 'over')
        assert((await kv.get('gone')) === undefined, 'gone should be deleted')
        await kv.batch([{ type: 'put', key: 'gone', value: bytes(4) }])
        equal(await kv.get('gone'), bytes(4), 'gone written again')
        await kv.close()
        const again = await open()
        equal(await again.get('over'), bytes(3), 'over after reopen')
        equal(await again.get('gone'), bytes(4), 'gone after reopen')
        await again.close()
      },
    ],
    [
      'stored values are not aliased to the caller buffer',
      async () => {
        const kv = await open()
        const v = bytes(7, 7)
        await kv.batch([{ type: 'put', key: 'alias', value: v }])
        v[0] = 9
        equal(await kv.get('alias'), bytes(7, 7), 'alias')
        await kv.close()
      },
    ],
    [
      'a closed store refuses use',
      async () => {
        const kv = await open()
        await kv.close()
        let error: unknown
        try {
          await kv.get('x')
        } catch (e) {
          error = e
        }
        assert(error instanceof KvClosedError, 'expected KvClosedError')
      },
    ],
  ]
  const results: ConformanceResult[] = []
  for (const [name, check] of checks) {
    try {
      await check()
      results.push({ name, ok: true })
    } catch (error) {
      results.push({ name, ok: false, error: (error as Error).message })
    }
  }
  return results
}
