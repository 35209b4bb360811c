/**
 * The batcher: L2 blocks → channel → IPFS + blobs → RollupInbox (SPEC.md §8). One `tick()` does
 * one step of a small state machine whose truth is L1: the inbox head says what is posted, the
 * KV holds the batch in flight. Safe to kill at any point and restart; never posts a batch twice.
 */
import {
  type Address,
  type Hex,
  type Kzg,
  type LocalAccount,
  type PublicClient,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
} from 'viem'
import type { IpfsPinner } from '../ipfs/pinner.ts'
import { channelCid, cidToHex } from '../protocol/codec/cid.ts'
import { readInboxHead } from '../protocol/inbox.ts'
import { outputRoot } from '../protocol/output-root.ts'
import type { BatchBlock } from '../protocol/types.ts'
import type { KV } from '../state/kv.ts'
import { type BlobSidecars, channelSidecars } from './blob-tx.ts'
import { channelBytes, loadPending, type PendingBatch, savePending } from './pending.ts'
import { type BatchPolicy, DEFAULT_POLICY, decideBatch } from './policy.ts'
import { bumpBlobFees, estimateBlobFees, type SignedBatchTx, signBatchTransaction } from './post.ts'

/** What the batcher reads from the node: persisted blocks only (a batch never covers unsaved blocks). */
export type BlockSource = {
  persistedHead(): bigint
  block(number: bigint): Promise<
    | {
        hash: Hex
        stateRoot: Hex
        timestamp: bigint
        l1Origin?: bigint
        transactions: readonly Hex[]
        /** For the output root (SPEC §6): asked of a batch's last block only, as it costs a state read. */
        messagePasserStorageRoot: () => Promise<Hex>
      }
    | undefined
  >
}

/** A block the batcher may post, with what its output root needs. */
type CandidateBlock = BatchBlock & { hash: Hex; stateRoot: Hex; messagePasserStorageRoot: () => Promise<Hex> }

export type BatcherOptions = {
  l1: PublicClient
  account: LocalAccount
  inbox: Address
  chainId: bigint
  source: BlockSource
  kv: KV
  ipfs?: IpfsPinner
  /** KZG for the blob sidecars; default the pure-JS one (Node passes c-kzg, chain/native-kzg.ts). */
  kzg?: Kzg
  policy?: Partial<BatchPolicy>
  /** Replace (fees ×2) a batch tx not mined after this long. */
  stuckAfterMs?: number
  /** Most blocks read per tick when building a batch. */
  maxBlocksPerBatch?: number
  now?: () => number
  log?: (event: BatcherEvent) => void
}

export type BatcherEvent =
  | { type: 'sent'; index: bigint; hash: Hex; nonce: number; blobs: number; firstBlock: bigint; lastBlock: bigint }
  | { type: 'replaced'; index: bigint; hash: Hex; reason: string }
  | {
      type: 'confirmed'
      index: bigint
      firstBlock: bigint
      lastBlock: bigint
      l1TxHash?: Hex
      cid: Hex
      blobVersionedHashes: Hex[]
    }
  | { type: 'rebuilt'; index: bigint; reason: string }
  | { type: 'waiting'; reason: string }

export type Batcher = {
  tick(): Promise<BatcherEvent['type'] | 'idle'>
  start(intervalMs?: number): void
  stop(): Promise<void>
}

export function createBatcher(o: BatcherOptions): Batcher {
  const policy = { ...DEFAULT_POLICY, ...o.policy }
  const now = o.now ?? Date.now
  const stuckAfter = o.stuckAfterMs ?? 30_000
  const log = o.log ?? (() => {})
  let sidecars: { channel: Hex; blobs: BlobSidecars } | undefined
  const blocks = new Map<bigint, CandidateBlock>()

  const sidecarsFor = (p: PendingBatch) => {
    if (sidecars?.channel !== p.channel)
      sidecars = { channel: p.channel, blobs: channelSidecars(channelBytes(p), o.kzg) }
    return sidecars.blobs
  }

  const notFound =
    (type: new (...args: never[]) => Error) =>
    (error: unknown): undefined => {
      if (error instanceof type) return undefined
      throw error
    }

  async function send(p: PendingBatch, nonce: number, fees = p.tx?.fees, gas?: bigint): Promise<SignedBatchTx> {
    const tx = await signBatchTransaction(o.l1, o.account, {
      inbox: o.inbox,
      call: p.call,
      blobs: sidecarsFor(p),
      nonce,
      fees: fees ?? (await estimateBlobFees(o.l1)),
      gas,
    })
    // Persist first: if we die between these lines, the restart finds the hash and looks for it.
    p.tx = { hash: tx.hash, nonce, fees: tx.fees, gas: tx.gas.toString(), sentAt: now() }
    await savePending(o.kv, p)
    await o.l1.sendRawTransaction({ serializedTransaction: tx.serialized }).catch((e: Error) => {
      if (!/already known|known transaction/i.test(e.message)) throw e
    })
    return tx
  }

  async function loadBlocks(from: bigint, to: bigint) {
    for (const n of [...blocks.keys()]) if (n < from) blocks.delete(n)
    const out: CandidateBlock[] = []
    for (let n = from; n <= to; n++) {
      let b = blocks.get(n)
      if (!b) {
        const s = await o.source.block(n)
        if (!s) break
        b = { ...s, number: n }
        blocks.set(n, b)
      }
      out.push(b)
    }
    return out
  }

  async function tick(): Promise<BatcherEvent['type'] | 'idle'> {
    const { count, batchHash: lastHash, lastBlock } = await readInboxHead(o.l1, o.inbox)
    let pending = await loadPending(o.kv)
    if (pending && count > pending.call.index) {
      await savePending(o.kv, undefined)
      log({
        type: 'confirmed',
        index: pending.call.index,
        firstBlock: pending.call.firstBlock,
        lastBlock: pending.call.lastBlock,
        l1TxHash: pending.tx?.hash,
        cid: pending.call.cid,
        blobVersionedHashes: sidecarsFor(pending).versionedHashes,
      })
      return 'confirmed'
    }
    if (pending && (pending.call.index !== count || pending.call.parentBatchHash !== lastHash)) {
      // L1 moved under us (a reorg removed an earlier batch): this batch no longer continues the inbox.
      log({ type: 'rebuilt', index: pending.call.index, reason: 'inbox head changed' })
      await savePending(o.kv, undefined)
      pending = undefined
    }
    if (pending) return advance(pending)

    // Nothing in flight: cut the next batch from the blocks after the last posted one.
    const head = o.source.persistedHead()
    const from = lastBlock + 1n
    const to =
      head < from + BigInt((o.maxBlocksPerBatch ?? 5_000) - 1)
        ? head
        : from + BigInt((o.maxBlocksPerBatch ?? 5_000) - 1)
    const candidates = await loadBlocks(from, to)
    const parent = from === 1n ? await o.source.block(0n) : (blocks.get(from - 1n) ?? (await o.source.block(from - 1n)))
    if (!parent) return 'idle'
    const decision = decideBatch({ chainId: o.chainId, parentHash: parent.hash }, candidates, policy, now())
    if (!decision.post) {
      log({ type: 'waiting', reason: decision.reason })
      return 'idle'
    }
    const last = candidates[decision.count - 1]!
    const cid = channelCid(decision.channel)
    // IPFS first: the CID goes on L1 only once a peer holds the bytes.
    await o.ipfs?.pin(cid, decision.channel)
    const next: PendingBatch = {
      call: {
        index: count,
        parentBatchHash: lastHash,
        firstBlock: from,
        lastBlock: last.number,
        outputRoot: outputRoot({
          stateRoot: last.stateRoot,
          blockHash: last.hash,
          withdrawalStorageRoot: await last.messagePasserStorageRoot(),
        }),
        cid: cidToHex(cid),
      },
      channel: `0x${Array.from(decision.channel, (b) => b.toString(16).padStart(2, '0')).join('')}` as Hex,
    }
    await savePending(o.kv, next)
    const nonce = await o.l1.getTransactionCount({ address: o.account.address, blockTag: 'pending' })
    const tx = await send(next, nonce)
    log({
      type: 'sent',
      index: count,
      hash: tx.hash,
      nonce,
      blobs: sidecarsFor(next).blobs.length,
      firstBlock: from,
      lastBlock: last.number,
    })
    return 'sent'
  }

  /** A batch is in flight and not yet on the inbox: wait, re-broadcast, replace or re-sign. */
  async function advance(p: PendingBatch): Promise<BatcherEvent['type'] | 'idle'> {
    if (!p.tx) {
      const nonce = await o.l1.getTransactionCount({ address: o.account.address, blockTag: 'pending' })
      const tx = await send(p, nonce)
      log({
        type: 'sent',
        index: p.call.index,
        hash: tx.hash,
        nonce,
        blobs: sidecarsFor(p).blobs.length,
        firstBlock: p.call.firstBlock,
        lastBlock: p.call.lastBlock,
      })
      return 'sent'
    }
    // Only "not found" means not found: any other RPC error ends this tick (retried on the next),
    // it never leads to a second signature at a new nonce while the first tx may still land.
    const receipt = await o.l1
      .getTransactionReceipt({ hash: p.tx.hash })
      .catch(notFound(TransactionReceiptNotFoundError))
    if (receipt?.status === 'reverted') {
      await savePending(o.kv, undefined)
      log({ type: 'rebuilt', index: p.call.index, reason: `tx ${p.tx.hash} reverted` })
      return 'rebuilt'
    }
    if (receipt) return 'idle' // mined; the inbox read lags behind — confirmed on a later tick
    const known = await o.l1.getTransaction({ hash: p.tx.hash }).catch(notFound(TransactionNotFoundError))
    const confirmedNonce = await o.l1.getTransactionCount({ address: o.account.address, blockTag: 'latest' })
    if (!known) {
      if (confirmedNonce <= p.tx.nonce) {
        // Dropped, or reorged out, and its nonce is still free: the same tx again (same nonce and
        // fees, deterministic signature), so at most one version can ever land.
        const tx = await send(p, p.tx.nonce, p.tx.fees, BigInt(p.tx.gas))
        log({ type: 'replaced', index: p.call.index, hash: tx.hash, reason: 'tx vanished from L1: re-broadcast' })
        return 'replaced'
      }
      // Its nonce was used by another tx (an earlier fee-bumped version, or not ours). That nonce
      // can no longer carry anything; if the inbox still lacks the batch on a later tick (its
      // read comes first in each tick), sign at the next nonce.
      if (p.tx.nonceUsedAt === undefined) {
        p.tx.nonceUsedAt = now()
        await savePending(o.kv, p)
        return 'idle'
      }
      const tx = await send(p, confirmedNonce)
      log({ type: 'replaced', index: p.call.index, hash: tx.hash, reason: `nonce ${p.tx.nonce} used by another tx` })
      return 'replaced'
    }
    if (now() - p.tx.sentAt >= stuckAfter) {
      const tx = await send(p, p.tx.nonce, bumpBlobFees(p.tx.fees))
      log({
        type: 'replaced',
        index: p.call.index,
        hash: tx.hash,
        reason: `not mined after ${stuckAfter} ms: fees doubled`,
      })
      return 'replaced'
    }
    return 'idle'
  }

  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<unknown> = Promise.resolve()
  let stopped = false
  return {
    tick,
    start(intervalMs = 1000) {
      const loop = () => {
        if (stopped) return
        running = tick()
          .catch((e: Error) => log({ type: 'waiting', reason: `error: ${e.message}` }))
          .finally(() => {
            if (!stopped) timer = setTimeout(loop, intervalMs)
          })
      }
      loop()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
