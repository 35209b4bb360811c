/**
 * eth_newFilter / eth_newBlockFilter / eth_getFilterChanges, fed by "block sealed" events.
 * Memory is bounded: at most MAX_FILTERS filters, each buffering at most MAX_BUFFERED entries
 * (counted per log: a block's logs beyond the cap are dropped, not appended whole), and a filter
 * nobody polled for FILTER_TTL_MS is removed by a timer (geth: 5 minutes), busy chain or not.
 */
import type { Hex } from 'viem'
import { RpcCodes, RpcError } from '../chain/errors.ts'
import type { SealedBlock, StoredReceipt } from '../chain/types.ts'
import { type LogCriteria, sealedLogs } from './log-criteria.ts'

type Filter =
  | { kind: 'block'; hashes: Hex[]; touched: number }
  | { kind: 'logs'; criteria: LogCriteria; logs: unknown[]; touched: number }

export const FILTER_TTL_MS = 5 * 60_000
export const MAX_FILTERS = 1_000
export const MAX_BUFFERED = 10_000
/** Entries buffered over all filters: 1,000 full filters would otherwise hold 10M logs. */
export const MAX_BUFFERED_TOTAL = 200_000

export class Filters {
  private filters = new Map<Hex, Filter>()
  private counter = 0
  private buffered = 0
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
    const out: unknown[] = f.kind === 'block' ? f.hashes.splice(0) : f.logs.splice(0)
    this.buffered -= out.length
    return out
  }

  uninstall(id: Hex): boolean {
    const key = id.toLowerCase() as Hex
    const f = this.filters.get(key)
    if (f) this.buffered -= f.kind === 'block' ? f.hashes.length : f.logs.length
    return this.filters.delete(key)
  }

  get size(): number {
    return this.filters.size
  }

  onBlock(block: SealedBlock, receipts: readonly StoredReceipt[]): void {
    const logs = sealedLogs(block, receipts)
    for (const f of this.filters.values()) {
      const held = f.kind === 'block' ? f.hashes.length : f.logs.length
      const room = Math.min(MAX_BUFFERED - held, MAX_BUFFERED_TOTAL - this.buffered)
      if (room <= 0) continue
      if (f.kind === 'block') {
        f.hashes.push(block.hash)
        this.buffered++
        continue
      }
      for (const log of logs(f.criteria, room)) f.logs.push(log)
      this.buffered += f.logs.length - held
    }
  }

  /** Removes filters nobody polled for the TTL. */
  sweep(now = Date.now()): void {
    for (const [id, f] of this.filters) if (now - f.touched > this.ttlMs) this.uninstall(id)
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
