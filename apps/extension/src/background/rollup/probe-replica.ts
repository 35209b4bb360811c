/**
 * Probes one replica against the local (embedded) node: same chain id, its head and how far it
 * trails, and whether its block at the common height has the local block's hash and state root.
 * A replica that disagrees (another chain, a fork, a forged block served as `latest`) is marked so,
 * and reads are never routed to it.
 */
import type { ReplicaRecord } from '../../core/storage.ts'
import type { ReplicaCall } from './replica-rpc.ts'
import type { RollupCall } from './rollup.ts'

type BlockHead = { number: string; hash: string; stateRoot: string } | null

export async function probeReplica(
  local: RollupCall,
  remote: ReplicaCall,
  record: ReplicaRecord,
  now = Date.now(),
): Promise<ReplicaRecord> {
  const ask = (method: string, params: unknown[] = []) => remote(record.url, method, params)
  const { error: _error, ...kept } = record
  try {
    const [theirChain, ourChain, theirHead, ourHead] = await Promise.all([
      ask('eth_chainId'),
      local('eth_chainId'),
      ask('eth_blockNumber').then((n) => Number(n)),
      local('eth_blockNumber').then((n) => Number(n)),
    ])
    const seen = { ...kept, checkedAt: now, lastSeen: now, head: theirHead, lag: Math.max(0, ourHead - theirHead) }
    if (Number(theirChain) !== Number(ourChain)) {
      return { ...seen, agrees: false, error: `serves chain ${Number(theirChain)}, not ${Number(ourChain)}` }
    }
    const common = `0x${Math.min(theirHead, ourHead).toString(16)}`
    const [theirs, ours] = (await Promise.all([
      ask('eth_getBlockByNumber', [common, false]),
      local('eth_getBlockByNumber', [common, false]),
    ])) as [BlockHead, BlockHead]
    const agrees = !!theirs && !!ours && theirs.hash === ours.hash && theirs.stateRoot === ours.stateRoot
    return agrees
      ? { ...seen, agrees }
      : { ...seen, agrees, error: `block ${Number(common)} differs from this wallet's` }
  } catch (error) {
    return { ...kept, checkedAt: now, agrees: false, error: (error as Error).message.split('\n')[0] }
  }
}
