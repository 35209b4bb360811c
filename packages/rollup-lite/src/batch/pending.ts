/**
 * The batcher's durable state in the node's KV (key `batcher/pending`): the batch being posted
 * and its latest L1 transaction. Written before anything is sent, so a restart finds it.
 */
import { bytesToHex, type Hex, hexToBytes } from 'viem'
import type { KV } from '../state/kv.ts'
import type { BatchCall, BlobFees } from './post.ts'

export const PENDING_KEY = 'batcher/pending'

export type PendingBatch = {
  call: BatchCall
  channel: Hex
  /** The latest signed transaction for this batch (replacements overwrite it). */
  tx?: {
    hash: Hex
    nonce: number
    fees: BlobFees
    gas: string
    sentAt: number
    /** When a tick first saw `nonce` used on L1 with no receipt for `hash` (see batcher `advance`). */
    nonceUsedAt?: number
  }
}

type Json = Omit<PendingBatch, 'call' | 'tx'> & {
  call: Omit<BatchCall, 'index' | 'firstBlock' | 'lastBlock'> & { index: string; firstBlock: string; lastBlock: string }
  tx?: Omit<NonNullable<PendingBatch['tx']>, 'fees'> & { fees: Record<keyof BlobFees, string> }
}

export async function loadPending(kv: KV): Promise<PendingBatch | undefined> {
  const raw = await kv.get(PENDING_KEY)
  if (!raw) return undefined
  const j = JSON.parse(new TextDecoder().decode(raw)) as Json
  return {
    channel: j.channel,
    call: {
      ...j.call,
      index: BigInt(j.call.index),
      firstBlock: BigInt(j.call.firstBlock),
      lastBlock: BigInt(j.call.lastBlock),
    },
    tx: j.tx && {
      ...j.tx,
      fees: {
        maxFeePerGas: BigInt(j.tx.fees.maxFeePerGas),
        maxPriorityFeePerGas: BigInt(j.tx.fees.maxPriorityFeePerGas),
        maxFeePerBlobGas: BigInt(j.tx.fees.maxFeePerBlobGas),
      },
    },
  }
}

export async function savePending(kv: KV, p: PendingBatch | undefined): Promise<void> {
  if (!p) return kv.batch([{ type: 'del', key: PENDING_KEY }])
  const json = JSON.stringify(p, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
  await kv.batch([{ type: 'put', key: PENDING_KEY, value: new TextEncoder().encode(json) }])
}

export const channelBytes = (p: PendingBatch) => hexToBytes(p.channel)
export { bytesToHex }
