import manifest from 'virtual:seed-manifest'
import { createPublicClient, http } from 'viem'

/** The rollup node's JSON-RPC URL from the manifest, if this stack runs one. */
export const rollupRpcUrl: string | undefined = manifest.rollup?.rpcUrl

export const l2 = rollupRpcUrl
  ? createPublicClient({ transport: http(rollupRpcUrl), pollingInterval: 1000 })
  : undefined

export type RollupStatus = {
  chainId: `0x${string}`
  head: { number: `0x${string}`; hash: string; stateRoot: string; timestamp: `0x${string}` }
  persistedHead: `0x${string}`
  openBlock: { number: `0x${string}`; txCount: number; gasUsed: `0x${string}` }
  pendingCount: number
  lastBatch: {
    l1TxHash: `0x${string}` | null
    l2BlockEnd: `0x${string}` | null
    blobVersionedHashes: string[]
    cid: string | null
  }
}

export async function rollupStatus(): Promise<RollupStatus> {
  if (!l2) throw new Error('no rollup node in this stack')
  return (await l2.request({ method: 'rollup_status' } as never)) as RollupStatus
}
