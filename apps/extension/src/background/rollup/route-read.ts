/**
 * Routes a dApp's read on the agent's chain to a replica when the embedded node is busy (issue 17):
 * its pending + open-block transactions were above BUSY_PENDING_TXS at the last probe, or the read
 * has not answered within LOCAL_READ_TIMEOUT_MS. Only to a replica whose last probe is fresh, is at
 * most MAX_REPLICA_LAG blocks behind and agrees with the local head; never a write, never a read of
 * the `pending` block (the mempool is the Worker's alone). A replica that fails falls back to the node.
 */
import type { ReplicaRecord } from '../../core/storage.ts'
import type { ReplicaCall } from './replica-rpc.ts'
import type { RollupCall } from './rollup.ts'

export const BUSY_PENDING_TXS = 64
export const LOCAL_READ_TIMEOUT_MS = 2_000
export const MAX_REPLICA_LAG = 2
/** A probe older than this says nothing about the replica now (probes run every 30 s). */
export const PROBE_FRESH_MS = 90_000

/** Reads a replica answers from its own store (eth_sendRawTransaction and every signing method stay local). */
export const REPLICA_READS = new Set([
  'eth_blockNumber',
  'eth_call',
  'eth_estimateGas',
  'eth_feeHistory',
  'eth_gasPrice',
  'eth_getBalance',
  'eth_getBlockByHash',
  'eth_getBlockByNumber',
  'eth_getCode',
  'eth_getLogs',
  'eth_getStorageAt',
  'eth_getTransactionByHash',
  'eth_getTransactionCount',
  'eth_getTransactionReceipt',
  'eth_maxPriorityFeePerGas',
])

export type ReadRouting = {
  local: RollupCall
  remote: ReplicaCall
  replicas: () => Promise<ReplicaRecord[]>
  /** The local node's pending + open-block transactions at the last probe, if it is fresh. */
  pendingTxs: () => number | undefined
  onRouted?: (url: string, method: string, why: 'busy' | 'slow') => void
  now?: () => number
}

export function healthyReplica(records: ReplicaRecord[], now: number): ReplicaRecord | undefined {
  return records
    .filter(
      (r) =>
        r.agrees === true &&
        !r.error &&
        r.checkedAt !== undefined &&
        now - r.checkedAt < PROBE_FRESH_MS &&
        (r.lag ?? Number.POSITIVE_INFINITY) <= MAX_REPLICA_LAG,
    )
    .sort((a, b) => (a.lag ?? 0) - (b.lag ?? 0))[0]
}

const readsPending = (params: readonly unknown[]) => params.some((p) => p === 'pending')

export async function routeRead(o: ReadRouting, method: string, params: readonly unknown[] = []): Promise<unknown> {
  if (!REPLICA_READS.has(method) || readsPending(params)) return o.local(method, params)
  const replica = healthyReplica(await o.replicas(), (o.now ?? Date.now)())
  if (!replica) return o.local(method, params)
  const viaReplica = (why: 'busy' | 'slow') => {
    o.onRouted?.(replica.url, method, why)
    return o.remote(replica.url, method, params)
  }
  if ((o.pendingTxs() ?? 0) >= BUSY_PENDING_TXS) {
    return viaReplica('busy').catch(() => o.local(method, params))
  }
  const local = o.local(method, params)
  let timer: ReturnType<typeof setTimeout> | undefined
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), LOCAL_READ_TIMEOUT_MS)
  })
  try {
    const first = await Promise.race([local.then((result) => ({ result })), slow])
    if (first !== 'slow') return first.result
  } finally {
    clearTimeout(timer)
  }
  // The node's answer still counts if the replica cannot give one.
  return viaReplica('slow').catch(() => local)
}
