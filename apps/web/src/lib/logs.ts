/**
 * Event lists in bounded block windows. Public L1 RPCs refuse `eth_getLogs` over wide ranges (a few
 * thousand to ten thousand blocks is the common cap) and a page is not an indexer: every list reads at
 * most the last `LOG_LOOKBACK` blocks, in `LOG_WINDOW`-block requests, a few at a time. On the devnet
 * that is one request from block 0.
 */
import type { PublicClient } from 'viem'

export const LOG_WINDOW = 5_000n
export const LOG_LOOKBACK = 200_000n
const PARALLEL = 4

export type BlockRange = { fromBlock: bigint; toBlock: bigint }

/** The windows covering the last `lookback` blocks up to `head`, oldest first. */
export function logWindows(head: bigint, lookback = LOG_LOOKBACK, window = LOG_WINDOW): BlockRange[] {
  const start = head >= lookback ? head - lookback + 1n : 0n
  const ranges: BlockRange[] = []
  for (let from = start; from <= head; from += window) {
    ranges.push({ fromBlock: from, toBlock: from + window - 1n < head ? from + window - 1n : head })
  }
  return ranges
}

/** `query` over every window up to the head (or `toBlock`), results in block order. */
export async function inWindows<T>(
  client: PublicClient,
  query: (range: BlockRange) => Promise<T[]>,
  { toBlock, lookback }: { toBlock?: bigint; lookback?: bigint } = {},
): Promise<T[]> {
  // Uncached: viem keeps a block number for a polling interval, which can end the scan before the
  // block that just brought the event this list is refreshed for.
  const head = toBlock ?? (await client.getBlockNumber({ cacheTime: 0 }))
  const ranges = logWindows(head, lookback)
  const results: T[][] = new Array(ranges.length)
  let next = 0
  const worker = async () => {
    while (next < ranges.length) {
      const i = next++
      results[i] = await query(ranges[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, ranges.length) }, worker))
  return results.flat()
}
