/**
 * eth_newFilter / eth_newBlockFilter / eth_getFilterChanges, fed by "block sealed" events.
 * Memory is bounded: at most MAX_FILTERS filters, each buffering at most MAX_BUFFERED entries
 * (counted per log: a block's logs beyond the cap are dropped, not appended whole), and a filter
 * nobody polled for FILTER_TTL_MS is removed by a timer (geth: 5 minutes), busy chain or not.
 */
import type { Hex } from 'viem'
import { RpcCodes, RpcError } from '../chain/errors.ts'
import type { SealedBlock, StoredReceipt } from '../chain/types.ts'
import { blockLogs, type LogCriteria } from './logs.ts'

type Filter =
  | { kind: 'block'; hashes: Hex[]; touched: number }
  | { kind: 'logs'; criteria: LogCriteria; logs: unknown[]; touched: number }

export const FILTER_TTL_MS = 5 * 60_000
export const MAX_FILTERS = 1_000
export const MAX_BUFFERED = 10_000

export class Filters {
  private filters = new Map<Hex, Filter>()
  private counter = 0
  private sweeper: ReturnType<typeof setInterval> | undefined

  constructor(private readonly ttlMs = FILTER_TTL_MS) {}

  newBlockFilter(): Hex {
    return this.add({ kind: 'block', hashes: [], touched: Date.now() })
  }

  newLogFilter(criteria: LogCriteria): Hex {
    return this.add({ kind: 'logs', criteria, logs: [], touched: Date.now() })
  }

  get(id: Hex): Filter {
    const f = this.filters.get(id.toLowerCase() as Hex)
    if (!f) throw new RpcError(RpcCodes.server, 'filter not found')
    f.touched = Date.now()
    return f
  }

  changes(id: Hex): unknown[] {
    const f = this.get(id)
    if (f.kind === 'block') return f.hashes.splice(0)
    return f.logs.splice(0)
  }

  uninstall(id: Hex): boolean {
    return this.filters.delete(id.toLowerCase() as Hex)
  }

  get size(): number {
    return this.filters.size
  }

  onBlock(block: SealedBlock, receipts: readonly StoredReceipt[]): void {
    for (const f of this.filters.values()) {
      if (f.kind === 'block') {
        if (f.hashes.length < MAX_BUFFERED) f.hashes.push(block.hash)
        continue
      }
      const room = MAX_BUFFERED - f.logs.length
      if (room > 0) for (const log of blockLogs(block, receipts, f.criteria, room)) f.logs.push(log)
    }
  }

  /** Removes filters nobody polled for the TTL. */
  sweep(now = Date.now()): void {
    for (const [id, f] of this.filters) if (now - f.touched > this.ttlMs) this.filters.delete(id)
  }

  /** Stops the sweep timer (node close). */
  close(): void {
    if (this.sweeper) clearInterval(this.sweeper)
    this.sweeper = undefined
  }

  private add(f: Filter): Hex {
    if (this.filters.size >= MAX_FILTERS) this.sweep()
    if (this.filters.size >= MAX_FILTERS) throw new RpcError(RpcCodes.limitExceeded, 'too many filters')
    // The timer runs only while there are filters, so an idle node holds no timer.
    if (!this.sweeper) {
      this.sweeper = setInterval(
        () => {
          this.sweep()
          if (this.filters.size === 0) this.close()
        },
        Math.max(1_000, this.ttlMs / 5),
      )
      ;(this.sweeper as { unref?: () => void }).unref?.()
    }
    // Even-length hex (a client may send it back through any hex-bytes check).
    const id = `0x${(++this.counter).toString(16).padStart(8, '0')}${Math.floor(Math.random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0')}` as Hex
    this.filters.set(id, f)
    return id
  }
}
