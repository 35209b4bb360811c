/** eth_newFilter / eth_newBlockFilter / eth_getFilterChanges, fed by "block sealed" events. */
import type { Hex } from 'viem'
import { RpcCodes, RpcError } from '../chain/errors.ts'
import type { SealedBlock, StoredReceipt } from '../chain/types.ts'
import { blockLogs, type LogCriteria } from './logs.ts'

type Filter =
  | { kind: 'block'; hashes: Hex[]; touched: number }
  | { kind: 'logs'; criteria: LogCriteria; logs: unknown[]; touched: number }

const FILTER_TTL_MS = 5 * 60_000
const MAX_FILTERS = 1_000
const MAX_BUFFERED = 10_000

export class Filters {
  private filters = new Map<Hex, Filter>()
  private counter = 0

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

  onBlock(block: SealedBlock, receipts: readonly StoredReceipt[]): void {
    const now = Date.now()
    for (const [id, f] of this.filters) {
      if (now - f.touched > FILTER_TTL_MS) {
        this.filters.delete(id)
        continue
      }
      if (f.kind === 'block') {
        if (f.hashes.length < MAX_BUFFERED) f.hashes.push(block.hash)
      } else if (f.logs.length < MAX_BUFFERED) {
        f.logs.push(...blockLogs(block, receipts, f.criteria))
      }
    }
  }

  private add(f: Filter): Hex {
    if (this.filters.size >= MAX_FILTERS) throw new RpcError(RpcCodes.limitExceeded, 'too many filters')
    const id = `0x${(++this.counter).toString(16)}${Math.floor(Math.random() * 2 ** 32).toString(16)}` as Hex
    this.filters.set(id, f)
    return id
  }
}
