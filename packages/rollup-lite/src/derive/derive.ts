/**
 * Derivation (SPEC.md §7): rebuilds the L2 chain from L1 alone. For each batch on the inbox:
 * fetch the channel (blobs and/or IPFS, each checked against its commitment), decode it, check
 * it continues the derived chain, execute its blocks, compare the output root posted on L1.
 * Stops at the first divergence and says where.
 */
import type { Address, Hex, PublicClient } from 'viem'
import { decodeBatch } from '../batch/channel.ts'
import { channelCid, cidToHex } from '../batch/cid.ts'
import { outputRoot } from '../batch/output-root.ts'
import type { Batch } from '../batch/types.ts'
import type { DerivationExecutor, ExecutedBlock } from './replay.ts'
import {
  channelFromBlobs,
  channelFromIpfs,
  DataUnavailableError,
  fetchPostedBatches,
  type PostedBatch,
} from './sources.ts'

export type DeriveOptions = {
  l1: PublicClient
  inbox: Address
  chainId: bigint
  executor: DerivationExecutor
  /** Beacon API base URL for blobs (anvil serves it on its RPC port); omit to use IPFS only. */
  beaconUrl?: string
  /** IPFS peer HTTP base URL; omit to use blobs only. */
  ipfsUrl?: string
  fromL1Block?: bigint
  onProgress?: (event: DeriveProgress) => void
}

export type DeriveProgress =
  | { type: 'batches'; count: number }
  | { type: 'batch'; index: bigint; source: 'blobs' | 'ipfs'; blocks: number; txs: number; head: ExecutedBlock }
  | { type: 'warning'; index: bigint; message: string }

export type Divergence = {
  batchIndex: bigint
  /** The L2 block at which derivation stopped (the batch's last block for an output root mismatch). */
  l2Block: bigint
  reason: string
  expected?: Hex
  actual?: Hex
}

export type DeriveResult = {
  ok: boolean
  batches: number
  blocks: number
  txs: number
  head: ExecutedBlock
  divergence?: Divergence
}

export async function deriveChain(o: DeriveOptions): Promise<DeriveResult> {
  if (!o.beaconUrl && !o.ipfsUrl) throw new Error('derive: give a beacon URL, an IPFS URL or both')
  const posted = await fetchPostedBatches(o.l1, o.inbox, o.fromL1Block)
  o.onProgress?.({ type: 'batches', count: posted.length })
  let blocks = 0
  let txs = 0
  const result = (divergence?: Divergence): DeriveResult => ({
    ok: !divergence,
    batches: posted.length,
    blocks,
    txs,
    head: o.executor.head(),
    divergence,
  })

  for (const p of posted) {
    const fail = (reason: string, extra: Partial<Divergence> = {}) =>
      result({ batchIndex: p.index, l2Block: p.firstBlock, reason, ...extra })
    let fetched: { channel: Uint8Array; source: 'blobs' | 'ipfs' }
    try {
      fetched = await fetchChannel(o, p)
    } catch (e) {
      return fail((e as Error).message)
    }
    let batch: Batch
    try {
      batch = decodeBatch(fetched.channel)
    } catch (e) {
      return fail(`channel does not decode: ${(e as Error).message}`)
    }
    const head = o.executor.head()
    const first = batch.blocks[0]!.number
    const last = batch.blocks.at(-1)!.number
    if (batch.chainId !== o.chainId) return fail(`chain id ${batch.chainId}, expected ${o.chainId}`)
    if (first !== p.firstBlock || last !== p.lastBlock) {
      return fail(`channel holds blocks ${first}..${last}, L1 says ${p.firstBlock}..${p.lastBlock}`)
    }
    if (first !== head.number + 1n) return fail(`batch starts at ${first}, derived head is ${head.number}`)
    if (batch.parentHash !== head.hash) {
      return fail('parent hash differs from the derived chain', { expected: batch.parentHash, actual: head.hash })
    }
    let executed = head
    for (const block of batch.blocks) {
      try {
        executed = await o.executor.executeBlock(block)
      } catch (e) {
        return result({ batchIndex: p.index, l2Block: block.number, reason: (e as Error).message })
      }
      blocks++
      txs += block.transactions.length
    }
    const root = outputRoot({ stateRoot: executed.stateRoot, blockHash: executed.hash })
    if (root !== p.outputRoot) {
      return result({
        batchIndex: p.index,
        l2Block: executed.number,
        reason: 'output root differs from the one posted on L1',
        expected: p.outputRoot,
        actual: root,
      })
    }
    o.onProgress?.({
      type: 'batch',
      index: p.index,
      source: fetched.source,
      blocks: batch.blocks.length,
      txs: batch.blocks.reduce((n, b) => n + b.transactions.length, 0),
      head: executed,
    })
  }
  return result()
}

/** Blobs first (what L1 guarantees while they are not pruned), IPFS as the fallback. */
async function fetchChannel(
  o: DeriveOptions,
  p: PostedBatch,
): Promise<{ channel: Uint8Array; source: 'blobs' | 'ipfs' }> {
  const errors: string[] = []
  let fromBlobs: Uint8Array | undefined
  if (o.beaconUrl) {
    try {
      fromBlobs = await channelFromBlobs(o.beaconUrl, p)
    } catch (e) {
      if (!(e instanceof DataUnavailableError)) throw e
      errors.push(e.message)
      o.onProgress?.({ type: 'warning', index: p.index, message: e.message })
    }
  }
  if (o.ipfsUrl && !fromBlobs) {
    try {
      return { channel: await channelFromIpfs(o.ipfsUrl, p), source: 'ipfs' }
    } catch (e) {
      if (!(e instanceof DataUnavailableError)) throw e
      errors.push(e.message)
    }
  }
  if (fromBlobs) {
    // The blobs and the CID commit to the same bytes (SPEC.md §4): check it without fetching IPFS.
    if (cidToHex(channelCid(fromBlobs)) !== p.cid) {
      throw new DataUnavailableError('blobs', `blob data of batch ${p.index} does not match the CID posted with it`)
    }
    return { channel: fromBlobs, source: 'blobs' }
  }
  throw new DataUnavailableError(
    o.beaconUrl ? 'blobs' : 'ipfs',
    `no valid data for batch ${p.index}: ${errors.join('; ')}`,
  )
}
