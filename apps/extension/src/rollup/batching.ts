/**
 * The Worker's batcher (decision 0405): rollup-lite's batcher over the node's IndexedDB KV, so a
 * batch in flight survives a restart of the Worker, the offscreen document or the browser and is
 * never posted twice (the inbox's head is the truth, SPEC.md §8). The setup is kept in the same
 * extension-origin IndexedDB with the batcher key sealed (sealed-key.ts), so batching resumes
 * without an unlock and the key is never stored in the clear.
 */
import {
  attachBatcher,
  type Batcher,
  type BatcherEvent,
  type KV,
  nodeMessagePasserStorageRoot,
  outputRoot,
  type RollupNode,
  readBatchRecord,
  readInboxHead,
  readPostedBatch,
} from '@seed/rollup-lite'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create as createDigest } from 'multiformats/hashes/digest'
import { createPublicClient, hexToBytes, http, sha256 } from 'viem'
import { privateKeyToAccount, privateKeyToAddress } from 'viem/accounts'
import { type PinPath, workerIpfsPinner } from './ipfs-pinner.ts'
import { type SealedKey, sealKey, unsealKey } from './sealed-key.ts'
import type { BatcherSetup, BatchingState, PostedBatch, PublishedFile } from './worker-api.ts'

/** CIDv1 raw sha2-256, as the batches' (rollup-lite batch/cid.ts): checkable from the bytes alone. */
const SHA2_256 = 0x12

const SETUP_KEY = 'extension/batcher-setup'
const LOG_KEY = 'extension/batches'
const KEEP_BATCHES = 50
/** Post a quiet chain's blocks at the latest this long after the first one (the stack peer's bound too). */
const MAX_CHANNEL_DURATION_MS = 10_000

const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))
const decode = <T>(raw: Uint8Array | undefined): T | undefined =>
  raw ? (JSON.parse(new TextDecoder().decode(raw)) as T) : undefined

/** What is stored: the setup without its key in the clear. */
type StoredSetup = Omit<BatcherSetup, 'privateKey'> & { sealedKey: SealedKey }

/** The stored setup, key unsealed (the Worker's gossip signs with the same key). */
async function loadSetup(kv: KV): Promise<BatcherSetup | undefined> {
  const stored = decode<StoredSetup>(await kv.get(SETUP_KEY))
  if (!stored) return undefined
  const { sealedKey, ...rest } = stored
  return { ...rest, privateKey: await unsealKey(sealedKey) }
}

async function saveSetup(kv: KV, { privateKey, ...rest }: BatcherSetup) {
  const stored: StoredSetup = { ...rest, sealedKey: await sealKey(privateKey) }
  await kv.batch([{ type: 'put', key: SETUP_KEY, value: encode(stored) }])
}

export class ForeignInboxError extends Error {
  override name = 'ForeignInboxError'
  readonly shortMessage = 'The inbox already carries a different rollup chain'
}

/**
 * An inbox that already holds batches must hold *this* chain's blocks: a wallet re-imported into a
 * fresh profile has a new chain in IndexedDB, and continuing the old inbox with it would post
 * blocks that do not follow the posted ones (verify would diverge).
 */
async function checkInboxCarriesThisChain(node: RollupNode, setup: BatcherSetup) {
  const l1 = createPublicClient({ transport: http(setup.l1RpcUrl) })
  const { count, lastBlock } = await readInboxHead(l1, setup.inbox)
  if (count === 0n) return
  const posted = await readBatchRecord(l1, setup.inbox, count - 1n)
  const ours = await node.block(lastBlock)
  const ourOutput =
    ours &&
    outputRoot({
      stateRoot: ours.header.stateRoot,
      blockHash: ours.hash,
      withdrawalStorageRoot: await nodeMessagePasserStorageRoot(node, lastBlock),
    })
  if (ourOutput !== posted.outputRoot) {
    throw new ForeignInboxError(
      `The inbox ${setup.inbox} already holds ${count} batches up to L2 block ${lastBlock} of another copy of this rollup (a different browser profile?); this node cannot continue it.`,
    )
  }
}

/** Newest first, one record per index, the last KEEP_BATCHES. */
function merge(batches: PostedBatch[], more: PostedBatch[]): PostedBatch[] {
  const byIndex = new Map(batches.map((b) => [b.index, b]))
  for (const b of more) if (!byIndex.has(b.index)) byIndex.set(b.index, b)
  return [...byIndex.values()].sort((a, b) => b.index - a.index).slice(0, KEEP_BATCHES)
}

/** The inbox's last KEEP_BATCHES batches that `have` lacks, read back from L1. */
async function postedBatchesMissingFrom(setup: BatcherSetup, have: Set<number>): Promise<PostedBatch[]> {
  const l1 = createPublicClient({ transport: http(setup.l1RpcUrl) })
  const count = Number((await readInboxHead(l1, setup.inbox)).count)
  const missing: PostedBatch[] = []
  for (let index = Math.max(0, count - KEEP_BATCHES); index < count; index++) {
    if (have.has(index)) continue
    const posted = await readPostedBatch(l1, setup.inbox, BigInt(index))
    if (!posted) continue // a node without that block's logs: try again at the next resume
    missing.push({
      index,
      firstBlock: Number(posted.firstBlock),
      lastBlock: Number(posted.lastBlock),
      blobTxHash: posted.l1TxHash,
      cid: CID.decode(hexToBytes(posted.cid)).toString(),
      blobVersionedHashes: [...posted.blobHashes],
      at: Number(posted.l1Timestamp) * 1000,
    })
  }
  return missing
}

export type WorkerBatching = {
  configure(setup: BatcherSetup): Promise<BatchingState>
  state(): Promise<BatchingState>
  /** Stores `bytes` as one raw IPFS block and has the peer pin it under the batcher key (decision 0801). */
  publish(bytes: Uint8Array): Promise<PublishedFile>
  stop(): Promise<void>
}

export async function startWorkerBatching(
  node: RollupNode,
  kv: KV,
  { onSetup }: { onSetup?: (setup: BatcherSetup) => void } = {},
): Promise<WorkerBatching> {
  let batcher: Batcher | undefined
  let setup = await loadSetup(kv)
  let lastEvent: string | undefined
  let lastPin: PinPath | undefined

  // The log is read-modified-written by the batcher's events and by reconciliation: one at a time.
  let logLock: Promise<unknown> = Promise.resolve()
  function updateLog(change: (batches: PostedBatch[]) => PostedBatch[] | undefined) {
    const run = logLock.then(async () => {
      const batches = decode<PostedBatch[]>(await kv.get(LOG_KEY)) ?? []
      const next = change(batches)
      if (next) await kv.batch([{ type: 'put', key: LOG_KEY, value: encode(next) }])
    })
    logLock = run.catch(() => {})
    return run
  }

  function record(e: Extract<BatcherEvent, { type: 'confirmed' }>) {
    const posted: PostedBatch = {
      index: Number(e.index),
      firstBlock: Number(e.firstBlock),
      lastBlock: Number(e.lastBlock),
      blobTxHash: e.l1TxHash,
      cid: CID.decode(hexToBytes(e.cid)).toString(),
      blobVersionedHashes: e.blobVersionedHashes,
      at: Date.now(),
    }
    return updateLog((batches) =>
      batches.some((b) => b.index === posted.index) ? undefined : merge(batches, [posted]),
    )
  }

  /** Adds the inbox's batches the log lacks (decision 0417): a Worker killed before `record` ran. */
  async function reconcile(s: BatcherSetup) {
    const have = new Set((decode<PostedBatch[]>(await kv.get(LOG_KEY)) ?? []).map((b) => b.index))
    const found = await postedBatchesMissingFrom(s, have)
    if (found.length) await updateLog((batches) => merge(batches, found))
  }

  function resume(s: BatcherSetup) {
    reconcile(s).catch((error: Error) => {
      lastEvent = `waiting: error reconciling the batch list with L1: ${error.message}`
    })
  }

  function attach(s: BatcherSetup) {
    onSetup?.(s)
    const account = privateKeyToAccount(s.privateKey)
    batcher = attachBatcher(node, kv, {
      account,
      inbox: s.inbox,
      l1RpcUrl: s.l1RpcUrl,
      l1ChainId: s.l1ChainId,
      // The batcher key signs its pins: the devnet peer admits the current sequencer of a factory-made
      // inbox (decision 0310), and a peer with a fixed allowlist can list it.
      ipfs: workerIpfsPinner({
        peer: s.ipfsPeer,
        httpUrl: s.ipfsUrl,
        signer: account,
        onPinned: (path) => (lastPin = path),
      }),
      policy: { maxChannelDurationMs: MAX_CHANNEL_DURATION_MS },
      log: (e) => {
        // Events carry hashes, ranges and error messages — never the key.
        lastEvent = e.type === 'waiting' ? `waiting: ${e.reason}` : e.type
        if (e.type === 'confirmed') void record(e)
      },
    })
    resume(s)
  }

  async function state(): Promise<BatchingState> {
    if (!setup) return { enabled: false }
    return {
      enabled: true,
      inbox: setup.inbox,
      batcher: privateKeyToAddress(setup.privateKey),
      batches: decode<PostedBatch[]>(await kv.get(LOG_KEY)) ?? [],
      lastEvent,
      lastPin,
    }
  }

  if (setup) attach(setup)

  return {
    state,
    async configure(next) {
      if (setup && setup.inbox === next.inbox && setup.privateKey === next.privateKey) return state()
      await checkInboxCarriesThisChain(node, next)
      await batcher?.stop()
      await saveSetup(kv, next)
      setup = next
      attach(next)
      return state()
    },
    async publish(bytes) {
      // The peer admits pins signed by the current sequencer of a factory-made inbox: the batcher key.
      if (!setup) throw new Error('Start batching first: the IPFS peer pins files signed by the batcher key.')
      let via: PinPath['via'] = 'http'
      const pinner = workerIpfsPinner({
        peer: setup.ipfsPeer,
        httpUrl: setup.ipfsUrl,
        signer: privateKeyToAccount(setup.privateKey),
        onPinned: (path) => (via = path.via),
      })
      if (!pinner) throw new Error('This network has no IPFS peer.')
      const cid = CID.createV1(raw.code, createDigest(SHA2_256, sha256(bytes, 'bytes')))
      await pinner.pin(cid, bytes)
      return { cid: cid.toString(), via }
    },
    async stop() {
      await batcher?.stop()
    },
  }
}
