/** What a replica's JSON-RPC holds at a block: the reader the operator's probe answers are built from. */
import { createPublicClient, http } from 'viem'
import type { ReplicaReader } from './probeAnswerer.ts'

export function rpcReplicaReader(rpcUrl: string): ReplicaReader {
  const client = createPublicClient({ transport: http(rpcUrl, { timeout: 5_000, retryCount: 0 }) })
  return async (number) => {
    const head = await client.getBlockNumber({ cacheTime: 0 })
    if (number > head) return undefined
    const block = await client.getBlock({ blockNumber: number })
    return { head, blockHash: block.hash, stateRoot: block.stateRoot }
  }
}
