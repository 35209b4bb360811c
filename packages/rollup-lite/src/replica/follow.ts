/**
 * A replica of an agent's chain (`rollup-lite node --follow <inbox>`): blocks arrive two ways.
 * Unsafe: the sequencer's signed gossip, applied in order (a bounded buffer holds blocks that
 * arrive ahead of a gap) and served as `latest`. Safe: batches derived from L1 blobs / IPFS with
 * the verifier's own `deriveChain`; a derived block the replica already has is only compared, one
 * that differs rolls the replica back to L1's chain. `safe` / `finalized` name the derived head.
 * Progress (safe block, next batch, L1 block to scan from) is kept in the replica's KV: a restart
 * resumes there and catches up from L1 + IPFS.
 */
import { RollupInboxAbi } from '@seed/contracts'
import { type Address, bytesToHex, type Hex, type PublicClient } from 'viem'
import type { RollupCrypto } from '../chain/crypto.ts'
import type { Genesis, SealedBlock } from '../chain/types.ts'
import type { BeaconOptions } from '../derive/beacon.ts'
import type { BlobKzg } from '../derive/blob-kzg.ts'
import { type DeriveOptions, deriveChain } from '../derive/derive.ts'
import type { SenderRecovery } from '../derive/recovery.ts'
import type { DerivationExecutor, ExecutedBlock } from '../derive/replay.ts'
import { Mutex } from '../exec/mutex.ts'
import { type DepositTransaction, serializeDepositTransaction } from '../protocol/bridge/deposit.ts'
import { l1OriginOf } from '../protocol/header.ts'
import { type PostedBatch, readPostedBatches } from '../protocol/inbox.ts'
import type { BatchBlock } from '../protocol/types.ts'
import type { RpcLimits } from '../rpc/limits.ts'
import type { KV } from '../state/kv.ts'
import type { ForwardTransaction } from './forward.ts'
import type { BlockGossip, GossipVerdict } from './gossip.ts'
import { openReplicaChain, type ReplicaChain } from './replica-chain.ts'
import { decodeUnsafeBlock } from './unsafe-block.ts'

export type ReplicaEvent =
  /** A gossiped block is served as `latest`; `receivedAt` / `servedAt`: performance.now(). */
  | { type: 'unsafe'; number: bigint; hash: Hex; receivedAt: number; servedAt: number }
  | { type: 'dropped'; reason: string; number?: bigint }
  | { type: 'safe'; number: bigint; batchIndex: bigint; source: 'blobs' | 'ipfs' }
  /** Unsafe blocks above `to` disagreed with L1 and were dropped. */
  | { type: 'reorg'; from: bigint; to: bigint }
  | { type: 'derive-error'; reason: string }

export type ReplicaOptions = {
  kv: KV
  genesis: Genesis
  crypto: RollupCrypto
  l1: PublicClient
  inbox: Address
  beaconUrl?: string
  beacon?: Omit<BeaconOptions, 'url'>
  ipfsUrl?: string
  forward: ForwardTransaction
  gossip?: BlockGossip
  /** The key unsafe blocks must be signed with; default: the inbox's `sequencer()`, re-read every L1 round. */
  sequencer?: Address
  /** How often to look for new batches on L1 (default 1000 ms). */
  pollMs?: number
  /** Gossiped blocks kept ahead of a gap (default 512; further ones are dropped, L1 brings them). */
  maxBufferedBlocks?: number
  /** Bytes of gossiped blocks kept ahead of a gap (default 64 MiB). */
  maxBufferedBytes?: number
  recovery?: SenderRecovery
  kzg?: BlobKzg
  rpcLimits?: Partial<RpcLimits>
  /**
   * A bridged chain (`--deposits`, as its sequencer runs): derivation checks each block's L1 origin and
   * executes the portal's deposits it moves past, as the sequencer did (SPEC §10.2).
   */
  bridge?: DeriveOptions['bridge']
  onEvent?: (event: ReplicaEvent) => void
}

export type Replica = {
  chain: ReplicaChain
  /** The sequencer key unsafe blocks must be signed with (the inbox's `sequencer()`). */
  sequencer(): Address | undefined
  /** One L1 round now: new batches derived, unsafe blocks checked (tests; the loop calls it). */
  syncL1(): Promise<void>
  close(): Promise<void>
}

/** The follower's own KV entry. */
const PROGRESS_KEY = 'replica:progress'
type Progress = { safe: bigint; nextBatch: bigint; fromL1: bigint }

const summary = (b: SealedBlock): ExecutedBlock => {
  const l1Origin = l1OriginOf(b.header)
  const block = { number: b.header.number, hash: b.hash, stateRoot: b.header.stateRoot }
  return l1Origin === undefined ? block : { ...block, l1Origin }
}

/** Whether the block held is the one L1 gives: same time, origin, deposits (read from L1) and transactions. */
const sameBlock = (have: SealedBlock, b: BatchBlock, deposits: readonly DepositTransaction[]) => {
  const expected = [...deposits.map(serializeDepositTransaction), ...b.transactions]
  return (
    have.header.timestamp === b.timestamp &&
    l1OriginOf(have.header) === b.l1Origin &&
    have.transactions.length === expected.length &&
    have.transactions.every((t, i) => bytesToHex(t) === expected[i]!.toLowerCase())
  )
}

export async function startReplica(o: ReplicaOptions): Promise<Replica> {
  const chain = await openReplicaChain({
    kv: o.kv,
    genesis: o.genesis,
    crypto: o.crypto,
    forward: o.forward,
    rpcLimits: o.rpcLimits,
  })
  const emit = (e: ReplicaEvent) => o.onEvent?.(e)
  const chainId = chain.chainId
  const maxBuffered = BigInt(o.maxBufferedBlocks ?? 512)
  let progress = await loadProgress(o.kv)
  if (progress.safe > 0n) chain.setSafe((await chain.block(progress.safe)) ?? chain.genesis)
  let sequencer: Address | undefined = o.sequencer
  const readSequencer = async () => {
    if (o.sequencer) return
    sequencer = await o.l1.readContract({ address: o.inbox, abi: RollupInboxAbi, functionName: 'sequencer' })
  }
  await readSequencer().catch((e: Error) => emit({ type: 'derive-error', reason: `sequencer(): ${e.message}` }))

  // One lane for everything that moves the head: gossip drains and L1 rounds never interleave.
  const lane = new Mutex()
  const buffer = new Map<bigint, { block: SealedBlock; receivedAt: number; bytes: number }>()
  const maxBufferedBytes = o.maxBufferedBytes ?? 64 * 1024 * 1024
  let bufferedBytes = 0
  const unbuffer = (n: bigint) => {
    const entry = buffer.get(n)
    if (!entry) return undefined
    buffer.delete(n)
    bufferedBytes -= entry.bytes
    return entry
  }
  let draining = false

  const drain = () => {
    if (draining) return
    draining = true
    void lane
      .run(async () => {
        for (;;) {
          const head = chain.head().header.number
          for (const n of [...buffer.keys()]) if (n <= head) unbuffer(n)
          const next = unbuffer(head + 1n)
          if (!next) return
          const applied = await chain.applyBlock(next.block).catch((e: Error) => {
            emit({ type: 'dropped', number: next.block.header.number, reason: e.message })
            return undefined
          })
          if (applied === false) {
            emit({ type: 'dropped', number: next.block.header.number, reason: 'does not extend or reproduce the head' })
          } else if (applied) {
            const b = next.block
            emit({
              type: 'unsafe',
              number: b.header.number,
              hash: b.hash,
              receivedAt: next.receivedAt,
              servedAt: performance.now(),
            })
          }
        }
      })
      .finally(() => {
        draining = false
        // Blocks that arrived while the lane was busy.
        if (buffer.has(chain.head().header.number + 1n)) drain()
      })
  }

  // Blocks the topic validator decoded, handed to `receive` (the same bytes object) undecoded again.
  const validated = new WeakMap<Uint8Array, SealedBlock>()
  /**
   * Gossipsub's verdict before a message is delivered or relayed (SPEC.md §12): a message that is
   * oversized, malformed, not the sequencer's, or a replay of a block L1 already settled is
   * rejected, which lowers its sender's score; a block this replica holds already is ignored.
   */
  const validate = async (message: Uint8Array): Promise<GossipVerdict> => {
    if (!sequencer) return 'ignore'
    let block: SealedBlock
    try {
      block = await decodeUnsafeBlock(message, { chainId, sequencer, keccak256: o.crypto.keccak256 })
    } catch (e) {
      emit({ type: 'dropped', reason: (e as Error).message })
      return 'reject'
    }
    const n = block.header.number
    // An honest peer relays within milliseconds; a block already in a derived batch is a replay.
    if (n <= chain.safe().header.number) {
      emit({ type: 'dropped', number: n, reason: 'replayed: at or below the L1-safe block' })
      return 'reject'
    }
    if (n <= chain.head().header.number) return 'ignore'
    validated.set(message, block)
    return 'accept'
  }
  o.gossip?.validate(validate)

  const receive = async (message: Uint8Array) => {
    const receivedAt = performance.now()
    let block = validated.get(message)
    if (!block) {
      if (!sequencer) return emit({ type: 'dropped', reason: 'sequencer key not known yet' })
      try {
        block = await decodeUnsafeBlock(message, { chainId, sequencer, keccak256: o.crypto.keccak256 })
      } catch (e) {
        return emit({ type: 'dropped', reason: (e as Error).message })
      }
    }
    const n = block.header.number
    const head = chain.head().header.number
    if (n <= head || buffer.has(n)) return
    if (n > head + maxBuffered) return emit({ type: 'dropped', number: n, reason: 'too far ahead of the head' })
    if (bufferedBytes + message.length > maxBufferedBytes) {
      return emit({ type: 'dropped', number: n, reason: 'gap buffer full' })
    }
    buffer.set(n, { block, receivedAt, bytes: message.length })
    bufferedBytes += message.length
    drain()
  }
  const unsubscribe = o.gossip?.onMessage((m) => void receive(m))

  const syncL1 = () =>
    lane.run(async () => {
      await readSequencer()
      const posted = await readPostedBatches(o.l1, o.inbox, progress.fromL1)
      if (!posted.some((p) => p.index >= progress.nextBatch)) return
      const byIndex = new Map<bigint, PostedBatch>(posted.map((p) => [p.index, p]))
      // Resume after the last derived batch's L1 block, unless the next batch shares that block:
      // then derivation starts at the derived one too, whose blocks are held and only compared.
      const shares = posted.some((p) => p.l1Block === progress.fromL1 && p.index >= progress.nextBatch)
      const fromL1Block = progress.nextBatch === 0n || shares ? progress.fromL1 : progress.fromL1 + 1n
      const start = posted.find((p) => p.l1Block >= fromL1Block)!
      const before = await chain.block(start.firstBlock - 1n)
      if (!before) throw new Error(`block ${start.firstBlock - 1n} missing below the batches to derive`)
      let derived = summary(before)
      const executor: DerivationExecutor = {
        genesis: summary(chain.genesis),
        head: () => derived,
        async executeBlock(block, sender, deposits = []) {
          const head = chain.head().header.number
          const have = block.number <= head ? await chain.block(block.number) : undefined
          if (have && sameBlock(have, block, deposits)) {
            derived = summary(have)
            return derived
          }
          if (have) {
            await chain.rollbackTo(block.number - 1n)
            emit({ type: 'reorg', from: head, to: block.number - 1n })
          }
          derived = summary(await chain.executeBatchBlock(block, sender, deposits))
          return derived
        },
        messagePasserStorageRoot: (stateRoot) => chain.messagePasserStorageRoot(stateRoot),
      }
      const result = await deriveChain({
        l1: o.l1,
        inbox: o.inbox,
        chainId,
        executor,
        beaconUrl: o.beaconUrl,
        beacon: o.beacon,
        ipfsUrl: o.ipfsUrl,
        fromL1Block,
        bridge: o.bridge,
        recovery: o.recovery,
        kzg: o.kzg,
        onProgress: (e) => {
          if (e.type !== 'batch' || e.index < progress.nextBatch) return
          const p = byIndex.get(e.index)
          progress = { safe: e.head.number, nextBatch: e.index + 1n, fromL1: p?.l1Block ?? progress.fromL1 }
          emit({ type: 'safe', number: e.head.number, batchIndex: e.index, source: e.source })
        },
      })
      // Blocks derived past the last verified output root stay unsafe until their batch checks.
      chain.setSafe((await chain.block(progress.safe)) ?? chain.genesis)
      await saveProgress(o.kv, progress)
      if (result.divergence) emit({ type: 'derive-error', reason: result.divergence.reason })
    })

  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const loop = async () => {
    await syncL1().catch((e: Error) => emit({ type: 'derive-error', reason: e.message }))
    drain()
    if (!stopped) timer = setTimeout(() => void loop(), o.pollMs ?? 1_000)
  }
  void loop()

  return {
    chain,
    sequencer: () => sequencer,
    syncL1,
    async close() {
      stopped = true
      if (timer) clearTimeout(timer)
      unsubscribe?.()
      await lane.run(async () => {})
      await chain.close()
    },
  }
}

async function loadProgress(kv: KV): Promise<Progress> {
  const raw = await kv.get(PROGRESS_KEY)
  if (!raw) return { safe: 0n, nextBatch: 0n, fromL1: 0n }
  const p = JSON.parse(new TextDecoder().decode(raw)) as Record<keyof Progress, string>
  return { safe: BigInt(p.safe), nextBatch: BigInt(p.nextBatch), fromL1: BigInt(p.fromL1) }
}

function saveProgress(kv: KV, p: Progress): Promise<void> {
  const json = JSON.stringify({ safe: `${p.safe}`, nextBatch: `${p.nextBatch}`, fromL1: `${p.fromL1}` })
  return kv.batch([{ type: 'put', key: PROGRESS_KEY, value: new TextEncoder().encode(json) }])
}
