/**
 * Derivation (SPEC.md §7): rebuilds the L2 chain from L1 alone. For each batch on the inbox:
 * fetch the channel (blobs and/or IPFS, each checked against its commitment), decode it, check
 * it continues the derived chain, execute its blocks, compare the output root posted on L1.
 * Stops at the first divergence and says where.
 */
import type { Address, Hex, PublicClient } from 'viem'
import { getBlock } from 'viem/actions'
import { type Deposit, depositTransaction } from '../protocol/bridge/deposit.ts'
import {
  type BridgeActivation,
  depositsForOrigin,
  forceWindowOrigin,
  maxL1Origin,
} from '../protocol/bridge/l1-origin.ts'
import { readBridgeActivation, readDeposits } from '../protocol/bridge/portal.ts'
import { decodeBatch } from '../protocol/codec/channel.ts'
import { channelCid, cidToHex } from '../protocol/codec/cid.ts'
import { type PostedBatch, readPostedBatches } from '../protocol/inbox.ts'
import { outputRoot } from '../protocol/output-root.ts'
import type { Batch } from '../protocol/types.ts'
import { type BeaconClient, type BeaconOptions, createBeaconClient } from './beacon.ts'
import type { BlobKzg } from './blob-kzg.ts'
import type { BatchSenders, SenderRecovery } from './recovery.ts'
import type { DerivationExecutor, ExecutedBlock } from './replay.ts'
import { channelFromBlobs, channelFromIpfs, DataUnavailableError } from './sources.ts'

export type DeriveOptions = {
  l1: PublicClient
  inbox: Address
  chainId: bigint
  executor: DerivationExecutor
  /** Beacon API base URL for blobs (anvil serves it on its RPC port); omit to use IPFS only. */
  beaconUrl?: string
  /** Beacon genesis time and slot length when the node does not serve them (beacon.ts). */
  beacon?: Omit<BeaconOptions, 'url'>
  /** IPFS peer HTTP base URL; omit to use blobs only. */
  ipfsUrl?: string
  fromL1Block?: bigint
  /**
   * Derive exactly these batches (the next ones after the executor's head) instead of reading the inbox: a
   * watcher that follows the inbox itself (derive/challenger) feeds them as they come.
   */
  batches?: readonly PostedBatch[]
  /** Recover senders batch-wide (off-thread in Node: derive/recovery-threads.ts); default: at execution. */
  recovery?: SenderRecovery
  /**
   * KZG for the blob commitment checks; default the pure-JS one on this thread (Node: c-kzg,
   * chain/native-kzg.ts, or off-thread with derive/kzg-threads.ts).
   */
  kzg?: BlobKzg
  onProgress?: (event: DeriveProgress) => void
  /**
   * The bridge (v2, SPEC.md §10.2): every block carries an L1 origin, checked against the posting
   * L1 block, and begins with the portal's deposits of the L1 blocks it moves past. `activation` (where the
   * bridge config was registered, and its force window) defaults to what the portal logged.
   */
  bridge?: { portal?: Address; activation?: BridgeActivation }
}

export type DeriveProgress =
  | { type: 'batches'; count: number }
  | { type: 'batch'; index: bigint; source: 'blobs' | 'ipfs'; blocks: number; txs: number; head: ExecutedBlock }
  | { type: 'warning'; index: bigint; message: string }

export type Divergence = {
  batchIndex: bigint
  /**
   * `output-root`: every block executed and only the posted root is wrong (the derived head is the batch's last
   * block); `data`: no channel matching the batch's commitments; `invalid`: its content breaks a rule.
   */
  kind: 'output-root' | 'data' | 'invalid'
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
  const beacon = o.beaconUrl ? createBeaconClient({ ...o.beacon, url: o.beaconUrl }) : undefined
  const posted = o.batches ?? (await readPostedBatches(o.l1, o.inbox, o.fromL1Block))
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

  // Read once per call, after the batches: every batch here was posted at or before the block it was read at.
  let activation: Promise<BridgeActivation | undefined> | undefined
  // Pipelined: batch k+1 is fetched, decoded and its senders recovered (other threads) while
  // batch k executes here.
  let next = posted[0] && prepareBatch(o, posted[0], beacon)
  for (const [k, p] of posted.entries()) {
    const prepared = await next!
    next = posted[k + 1] && prepareBatch(o, posted[k + 1]!, beacon)
    const fail = (reason: string, extra: Partial<Divergence> = {}) =>
      result({ batchIndex: p.index, kind: 'invalid', l2Block: p.firstBlock, reason, ...extra })
    if ('error' in prepared) return fail(prepared.error, { kind: prepared.unavailable ? 'data' : 'invalid' })
    const { batch, senders } = prepared
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
    let deposits: Deposit[] = []
    if (o.bridge) {
      const { portal } = o.bridge
      activation ??= o.bridge.activation
        ? Promise.resolve(o.bridge.activation)
        : readBridgeActivation(o.l1, { inbox: o.inbox, portal })
      const origins = await checkOrigins(o, p, batch, head.l1Origin ?? 0n, await activation)
      if ('error' in origins) return fail(origins.error)
      deposits = origins.deposits
    }
    let executed = head
    let offset = 0
    for (const block of batch.blocks) {
      const at = offset
      const parentOrigin = executed.l1Origin ?? 0n
      const included = o.bridge
        ? depositsForOrigin(deposits, parentOrigin, block.l1Origin!).map(depositTransaction)
        : []
      try {
        executed = await o.executor.executeBlock(block, senders && ((i) => senders.sender(at + i)), included)
      } catch (e) {
        return result({ batchIndex: p.index, kind: 'invalid', l2Block: block.number, reason: (e as Error).message })
      }
      offset += block.transactions.length
      blocks++
      txs += block.transactions.length
    }
    const root = outputRoot({
      stateRoot: executed.stateRoot,
      blockHash: executed.hash,
      withdrawalStorageRoot: await o.executor.messagePasserStorageRoot(executed.stateRoot),
    })
    if (root !== p.outputRoot) {
      return result({
        batchIndex: p.index,
        kind: 'output-root',
        l2Block: executed.number,
        reason: 'output root differs from the one posted on L1',
        expected: p.outputRoot,
        actual: root,
      })
    }
    o.onProgress?.({
      type: 'batch',
      index: p.index,
      source: prepared.source,
      blocks: batch.blocks.length,
      txs: offset,
      head: executed,
    })
  }
  return result()
}

/**
 * The L1 origin rules of a batch posted in L1 block `p.l1Block` (SPEC.md §10.2): every block has an
 * origin, non-decreasing from `parentOrigin`, at most `p.l1Block − L1_CONFIRMATION_DEPTH`, and none
 * older than the force window before the posting block (so no deposit older than the window is left
 * out; an origin before the bridge's registration counts as the block before it). Returns the deposits
 * the batch's blocks move past, read from L1.
 */
async function checkOrigins(
  o: DeriveOptions,
  p: PostedBatch,
  batch: Batch,
  parentOrigin: bigint,
  activation: BridgeActivation | undefined,
): Promise<{ deposits: Deposit[] } | { error: string }> {
  let previous = parentOrigin
  for (const b of batch.blocks) {
    if (b.l1Origin === undefined)
      return { error: `block ${b.number} has no L1 origin (a bridged chain posts channel v2)` }
    if (b.l1Origin < previous)
      return { error: `block ${b.number}: L1 origin ${b.l1Origin} is before its parent's ${previous}` }
    previous = b.l1Origin
  }
  const highest = maxL1Origin(p.l1Block)
  if (previous > highest) {
    return {
      error: `L1 origin ${previous} is above ${highest}, the posting L1 block ${p.l1Block} minus the confirmation depth`,
    }
  }
  const checked = forceWindowOrigin(batch.blocks[0]!.l1Origin!, p.l1Block, activation)
  if (checked !== undefined) {
    const forceWindow = activation!.forceWindow
    const { timestamp } = await getBlock(o.l1, { blockNumber: checked })
    if (timestamp + forceWindow < p.l1Timestamp) {
      return {
        error: `L1 origin ${checked} (time ${timestamp}) is older than the force window (${forceWindow} s) before the posting L1 block (time ${p.l1Timestamp})`,
      }
    }
  }
  // No deposit exists before the bridge's registration block: the range below it is not read.
  if (!activation) return { deposits: [] }
  const floor = activation.l1Block - 1n
  return {
    deposits: await readDeposits(o.l1, {
      inbox: o.inbox,
      portal: o.bridge?.portal,
      after: parentOrigin > floor ? parentOrigin : floor,
      upTo: previous,
    }),
  }
}

type PreparedBatch =
  | { batch: Batch; source: 'blobs' | 'ipfs'; senders?: BatchSenders }
  | { error: string; unavailable?: boolean }

/**
 * Fetch (checked against L1), decode, start sender recovery. Never throws: errors are data. A blob answer is
 * decoded while its KZG commitments are computed on other threads; that decode is kept only if the checked
 * channel is the very bytes it read (else the checked channel is decoded), and its senders go to recovery
 * only then: the check has the cores first, and bytes that fail it cost no recovery.
 */
async function prepareBatch(o: DeriveOptions, p: PostedBatch, beacon?: BeaconClient): Promise<PreparedBatch> {
  let early: { channel: Uint8Array; decoded: DecodedBatch } | undefined
  let fetched: { channel: Uint8Array; source: 'blobs' | 'ipfs' }
  try {
    fetched = await fetchChannel(o, p, beacon, (channel) => {
      early = { channel, decoded: decodeChannel(o, channel, { hold: true }) }
    })
  } catch (e) {
    return { error: (e as Error).message, unavailable: e instanceof DataUnavailableError }
  }
  const decoded = early?.channel === fetched.channel ? early.decoded : decodeChannel(o, fetched.channel)
  if ('error' in decoded) return decoded
  return { batch: decoded.batch, source: fetched.source, senders: decoded.recover?.() }
}

type DecodedBatch = { batch: Batch; recover?: () => BatchSenders } | { error: string }

function decodeChannel(o: DeriveOptions, channel: Uint8Array, hold?: { hold: boolean }): DecodedBatch {
  const recovery = o.recovery?.begin(hold)
  let batch: Batch
  try {
    batch = decodeBatch(channel, recovery?.collect, { withBytes: true })
  } catch (e) {
    return { error: `channel does not decode: ${(e as Error).message}` }
  }
  return { batch, recover: recovery?.start }
}

/** Blobs first (what L1 guarantees while they are not pruned), IPFS as the fallback. */
async function fetchChannel(
  o: DeriveOptions,
  p: PostedBatch,
  beacon: BeaconClient | undefined,
  whileChecking: (unchecked: Uint8Array) => void,
): Promise<{ channel: Uint8Array; source: 'blobs' | 'ipfs' }> {
  const errors: string[] = []
  let fromBlobs: Uint8Array | undefined
  if (beacon) {
    try {
      fromBlobs = await channelFromBlobs(beacon, p, o.kzg, whileChecking)
    } catch (e) {
      if (!(e instanceof DataUnavailableError)) throw e
      errors.push(e.message)
      o.onProgress?.({ type: 'warning', index: p.index, message: e.message })
    }
  }
  if (o.ipfsUrl && !fromBlobs) {
    try {
      return { channel: await channelFromIpfs(o.ipfsUrl, p, o.kzg), source: 'ipfs' }
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
