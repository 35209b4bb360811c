/** `rollup_status` of a rollup-lite replica: its head, open block, pool and last batch. */
import { createPublicClient, hexToNumber, http } from 'viem'

export type RollupStatus = {
  head: number
  persistedHead: number
  openBlock: { number: number; txCount: number }
  pendingCount: number
  lastBatchEnd: number | undefined
}

type Raw = {
  head: { number: `0x${string}` }
  persistedHead: `0x${string}`
  openBlock: { number: `0x${string}`; txCount: number }
  pendingCount: number
  lastBatch: { l2BlockEnd: `0x${string}` | null }
}

export async function rollupStatus(replicaUrl: string): Promise<RollupStatus> {
  const client = createPublicClient({ transport: http(replicaUrl.replace(/^ws/, 'http')) })
  const raw = (await client.request({ method: 'rollup_status' } as never)) as Raw
  return {
    head: hexToNumber(raw.head.number),
    persistedHead: hexToNumber(raw.persistedHead),
    openBlock: { number: hexToNumber(raw.openBlock.number), txCount: raw.openBlock.txCount },
    pendingCount: raw.pendingCount,
    lastBatchEnd: raw.lastBatch.l2BlockEnd === null ? undefined : hexToNumber(raw.lastBatch.l2BlockEnd),
  }
}
