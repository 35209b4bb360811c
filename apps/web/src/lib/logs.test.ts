import { describe, expect, test } from 'vitest'
import { LOG_LOOKBACK, LOG_WINDOW, logWindows } from './logs.ts'

describe('logWindows', () => {
  test('a young chain is one window from block 0', () => {
    expect(logWindows(42n)).toEqual([{ fromBlock: 0n, toBlock: 42n }])
  })

  test('a long chain: only the lookback, in windows no wider than the cap, ending at the head', () => {
    const head = 21_000_000n
    const ranges = logWindows(head)
    expect(ranges[0]!.fromBlock).toBe(head - LOG_LOOKBACK + 1n)
    expect(ranges.at(-1)!.toBlock).toBe(head)
    for (const [i, r] of ranges.entries()) {
      expect(r.toBlock - r.fromBlock + 1n).toBeLessThanOrEqual(LOG_WINDOW)
      if (i > 0) expect(r.fromBlock).toBe(ranges[i - 1]!.toBlock + 1n)
    }
  })
})
