/**
 * Log criteria and matching (with the block bloom as a pre-filter), apart from the node's context: eth_getLogs,
 * filters and subscriptions all match with these.
 */
import { type Address, type Hex, hexToBytes } from 'viem'
import { invalidParams } from '../chain/errors.ts'
import type { SealedBlock, StoredLog, StoredReceipt } from '../chain/types.ts'
import { formatLog } from './format.ts'
import { address, hash32 } from './params.ts'

export type LogCriteria = {
  addresses: string[] | null
  topics: (string[] | null)[]
  fromBlock?: unknown
  toBlock?: unknown
  blockHash?: Hex
}

export function parseCriteria(v: unknown): LogCriteria {
  if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v)))
    throw invalidParams('invalid filter: expected object')
  const o = (v ?? {}) as Record<string, unknown>
  const addresses =
    o.address === undefined || o.address === null
      ? null
      : (Array.isArray(o.address) ? o.address : [o.address]).map((a) => address(a).toLowerCase())
  if (o.topics !== undefined && o.topics !== null && !Array.isArray(o.topics)) throw invalidParams('invalid topics')
  const topics = ((o.topics as unknown[] | undefined) ?? []).map((t) =>
    t === null ? null : (Array.isArray(t) ? t : [t]).map((x) => hash32(x, 'topic')),
  )
  if (topics.length > 4) throw invalidParams('invalid topics: at most 4')
  return {
    addresses,
    topics,
    fromBlock: o.fromBlock,
    toBlock: o.toBlock,
    blockHash: o.blockHash === undefined ? undefined : hash32(o.blockHash, 'blockHash'),
  }
}

export function logMatches(log: StoredLog, c: LogCriteria): boolean {
  if (c.addresses && !c.addresses.includes(log.address.toLowerCase())) return false
  for (let i = 0; i < c.topics.length; i++) {
    const want = c.topics[i]
    if (!want) continue
    const have = log.topics[i]
    if (!have || !want.includes(have.toLowerCase())) return false
  }
  return true
}

/** Bloom pre-filter: false means the block certainly has no matching log. */
export function bloomMayMatch(bloomHex: Hex, c: LogCriteria, keccak256: (b: Uint8Array) => Uint8Array): boolean {
  const bloom = hexToBytes(bloomHex)
  const has = (value: Hex) => {
    const h = keccak256(hexToBytes(value))
    for (let i = 0; i < 6; i += 2) {
      const bit = (((h[i] as number) << 8) | (h[i + 1] as number)) & 2047
      if (((bloom[256 - 1 - (bit >> 3)] as number) & (1 << (bit & 7))) === 0) return false
    }
    return true
  }
  if (c.addresses && !c.addresses.some((a) => has(a as Address))) return false
  for (const t of c.topics) if (t && !t.some((x) => has(x as Hex))) return false
  return true
}

/** The block's logs matching `c`, at most `limit` of them (a filter's room left). */
export function blockLogs(
  block: SealedBlock,
  receipts: readonly StoredReceipt[],
  c: LogCriteria,
  limit = Number.POSITIVE_INFINITY,
) {
  return sealedLogs(block, receipts)(c, limit)
}

export type FormattedLog = ReturnType<typeof formatLog>

/**
 * A sealed block's logs for many readers (filters, subscriptions): each log is formatted at most
 * once and the readers share the objects, so N filters cost N arrays of references, not N copies.
 */
export function sealedLogs(
  block: SealedBlock,
  receipts: readonly StoredReceipt[],
): (c: LogCriteria, limit?: number) => FormattedLog[] {
  const entries: { log: StoredLog; tx: number }[] = []
  receipts.forEach((r, tx) => {
    for (const log of r.logs) entries.push({ log, tx })
  })
  const formatted: (FormattedLog | undefined)[] = []
  return (c, limit = Number.POSITIVE_INFINITY) => {
    const out: FormattedLog[] = []
    for (let i = 0; i < entries.length && out.length < limit; i++) {
      const { log, tx } = entries[i] as (typeof entries)[number]
      if (!logMatches(log, c)) continue
      formatted[i] ??= formatLog(log, i, block.transactionHashes[tx] as Hex, {
        blockHash: block.hash,
        blockNumber: block.header.number,
        index: tx,
      })
      out.push(formatted[i] as FormattedLog)
    }
    return out
  }
}
