/**
 * The replica's chain: the node's own store, executor and RPC module, but blocks come from
 * outside (the sequencer's signed gossip, or batches derived from L1) and are re-executed here,
 * never sequenced. Each block is executed at its own timestamp, sealed, and kept only if it
 * reproduces the expected block; a rollback rewinds the head pointer to an earlier block (its
 * state is still in the trie) and forgets the dropped blocks' hashes and txs.
 */
import { createAddressFromString } from '@ethereumjs/util'
import { bytesToHex, type Hex, hexToBytes } from 'viem'
import { encodeNumber, keys } from '../chain/codec.ts'
import type { RollupCrypto } from '../chain/crypto.ts'
import { createRollupCommon } from '../chain/spec.ts'
import type { Genesis, SealedBlock } from '../chain/types.ts'
import type { SenderLookup } from '../derive/replay.ts'
import { executeDeposit } from '../exec/deposit.ts'
import { BlockExecutor, type OpenBlock } from '../exec/executor.ts'
import { openChain } from '../exec/genesis.ts'
import { Mutex } from '../exec/mutex.ts'
import { createStateVm, readMessagePasserStorageRoot } from '../exec/state.ts'
import { DEPOSIT_TX_TYPE, type DepositTransaction, parseDepositTransaction } from '../protocol/bridge/deposit.ts'
import { rollupConfig } from '../protocol/config.ts'
import { l1OriginOf } from '../protocol/header.ts'
import { decodeRawTx } from '../protocol/tx-validity.ts'
import type { BatchBlock } from '../protocol/types.ts'
import type { NodeContext, RollupStatus } from '../rpc/context.ts'
import { Filters } from '../rpc/filters.ts'
import { createRpcHandler, type RpcHandler } from '../rpc/handler.ts'
import { DEFAULT_RPC_LIMITS, type RpcLimits } from '../rpc/limits.ts'
import { Events } from '../sequencer/events.ts'
import type { SequencerEvents } from '../sequencer/sequencer.ts'
import { ChainStore } from '../state/chain-store.ts'
import type { KV, KvOp } from '../state/kv.ts'
import { TrieDb } from '../state/trie-db.ts'
import { ForwardingSequencer, type ForwardTransaction } from './forward.ts'

export type ReplicaChain = {
  chainId: bigint
  rpc: RpcHandler
  genesis: SealedBlock
  head(): SealedBlock
  block(n: bigint): Promise<SealedBlock | undefined>
  /** Re-executes a gossiped block on the head; false (and nothing kept) if it does not reproduce `block.hash`. */
  applyBlock(block: SealedBlock): Promise<boolean>
  /**
   * Executes a block derived from L1 on the head, beginning with the deposits derivation read from L1 for it
   * (SPEC §10.2; its output root is derivation's check).
   */
  executeBatchBlock(
    block: BatchBlock,
    sender?: SenderLookup,
    deposits?: readonly DepositTransaction[],
  ): Promise<SealedBlock>
  /** Drops every block above `n`. */
  rollbackTo(n: bigint): Promise<void>
  /** The message passer's storage root in state `stateRoot` (the output root's, SPEC §6). */
  messagePasserStorageRoot(stateRoot: Hex): Promise<Hex>
  /** Where `safe` / `finalized` point (set by the follower as L1 batches are derived). */
  setSafe(block: SealedBlock): void
  safe(): SealedBlock
  close(): Promise<void>
}

export async function openReplicaChain(o: {
  kv: KV
  genesis: Genesis
  crypto: RollupCrypto
  forward: ForwardTransaction
  rpcLimits?: Partial<RpcLimits>
}): Promise<ReplicaChain> {
  const { kv, crypto } = o
  const chainId = BigInt(o.genesis.chainId)
  const common = createRollupCommon(chainId, crypto)
  const trieDb = new TrieDb(kv)
  const config = rollupConfig(o.genesis)
  let store = new ChainStore(kv, crypto.keccak256)
  const opened = await openChain({ kv, common, trieDb, store, keccak256: crypto.keccak256, genesis: o.genesis, config })
  const genesisBlock = opened.header.number === 0n ? opened : (await store.block(0n))!
  // The block being executed names its own timestamp: the executor's clock reads it.
  let timestamp = opened.header.timestamp
  const mutex = new Mutex()
  const events = new Events<SequencerEvents>()

  const build = async (head: SealedBlock) => {
    const vm = await createStateVm(common, trieDb, hexToBytes(head.header.stateRoot))
    const executor = new BlockExecutor(
      vm,
      common,
      trieDb,
      store,
      crypto.keccak256,
      // Like derivation: a block is replayed as sealed, the byte bound is the sequencer's rule.
      { ...config, now: () => timestamp, maxBlockBytes: Number.POSITIVE_INFINITY },
      head,
    )
    await executor.openNext()
    const sequencer = new ForwardingSequencer(executor, mutex, kv, events, {
      blockTime: 0,
      maxBlockTxs: Number.POSITIVE_INFINITY,
      sealEmpty: false,
      maxPerSender: 0,
      maxPoolSize: 0,
      drainChunk: 0,
    })
    sequencer.forward = o.forward
    return { executor, sequencer }
  }
  let { executor, sequencer } = await build(opened)
  let safe = genesisBlock

  const status = (): RollupStatus => ({
    chainId,
    head: {
      number: sequencer.head.header.number,
      hash: sequencer.head.hash,
      stateRoot: sequencer.head.header.stateRoot,
      timestamp: sequencer.head.header.timestamp,
    },
    persistedHead: sequencer.head.header.number,
    openBlock: { number: executor.open.number, txCount: 0, gasUsed: 0n, baseFeePerGas: executor.open.baseFeePerGas },
    pendingCount: 0,
    lastBatch: { l1TxHash: null, l2BlockEnd: safe.header.number, blobVersionedHashes: [], cid: null },
  })
  const filters = new Filters()
  const ctx: NodeContext = {
    chainId,
    common,
    keccak256: crypto.keccak256,
    executor,
    sequencer,
    store,
    trieDb,
    mutex,
    events,
    filters,
    status,
    lastBatch: status().lastBatch,
    limits: { ...DEFAULT_RPC_LIMITS, ...o.rpcLimits, dev: false },
    safeHead: () => safe,
  }
  const rpc = createRpcHandler(ctx)

  const reopen = async (head: SealedBlock) => {
    trieDb.discardPending()
    store = new ChainStore(kv, crypto.keccak256)
    ;({ executor, sequencer } = await build(head))
    Object.assign(ctx, { executor, sequencer, store })
  }

  /**
   * Executes block `b`: its L1 origin (none on a chain without a bridge), its deposits first, then `txs`; seals
   * it; nothing is written yet. Must run in the mutex.
   */
  const execute = async (
    b: { number: bigint; timestamp: bigint; l1Origin?: bigint; deposits: readonly DepositTransaction[] },
    txs: readonly Uint8Array[],
    sender?: SenderLookup,
  ) => {
    const { number, timestamp: at } = b
    const open = executor.open
    if (number !== open.number) throw new Error(`block ${number} does not follow head ${executor.head.header.number}`)
    if (at < executor.head.header.timestamp) throw new Error(`block ${number}: timestamp before its parent`)
    timestamp = at
    if (open.timestamp !== at) {
      open.timestamp = at
      open.context = (executor as unknown as { blockContext(o: OpenBlock): OpenBlock['context'] }).blockContext(open)
    }
    if (b.l1Origin === undefined) delete open.l1Origin
    else open.l1Origin = b.l1Origin
    for (const d of b.deposits) await executeDeposit(executor, d)
    for (const [i, raw] of txs.entries()) {
      const p = decodeRawTx(raw, executor.txCommon, crypto.keccak256, open.gasLimit)
      const recovered = sender?.(i)
      if (recovered) {
        const address = await recovered
        if (!address) throw new Error(`block ${number}, transaction ${i}: no sender recovers`)
        const pinned = createAddressFromString(address)
        Object.defineProperty(p.tx, 'getSenderAddress', { value: () => pinned })
      }
      await executor.execute(p.tx, p.raw, p.hash)
    }
    return executor.seal()
  }

  const publish = async (sealed: Awaited<ReturnType<typeof execute>>) => {
    await kv.batch(sealed.ops)
    sequencer.head = sealed.block
    events.emit('blockSealed', sealed.block, sealed.receipts)
    events.emit('blockPersisted', sealed.block.header.number)
  }

  /** Runs `fn`; on any failure the executor is rebuilt on the last published head. */
  const guarded = <T>(fn: () => Promise<T>) =>
    mutex.run(async () => {
      const before = sequencer.head
      try {
        return await fn()
      } catch (error) {
        await reopen(before)
        throw error
      }
    })

  return {
    chainId,
    rpc,
    genesis: genesisBlock,
    head: () => sequencer.head,
    block: (n) =>
      n === sequencer.head.header.number
        ? Promise.resolve(sequencer.head)
        : n > sequencer.head.header.number
          ? Promise.resolve(undefined)
          : store.block(n),
    applyBlock: (block) =>
      guarded(async () => {
        if (block.header.parentHash !== sequencer.head.hash) return false
        // The sequencer places a block's deposits first (SPEC §10.2); L1 checks them when the batch is derived.
        const split = block.transactions.findIndex((raw) => raw[0] !== DEPOSIT_TX_TYPE)
        const depositCount = split === -1 ? block.transactions.length : split
        const deposits = block.transactions
          .slice(0, depositCount)
          .map((raw) => parseDepositTransaction(bytesToHex(raw)))
        const sealed = await execute(
          {
            number: block.header.number,
            timestamp: block.header.timestamp,
            l1Origin: l1OriginOf(block.header),
            deposits,
          },
          block.transactions.slice(depositCount),
        )
        if (sealed.block.hash !== block.hash) {
          await reopen(sequencer.head)
          return false
        }
        await publish(sealed)
        return true
      }),
    executeBatchBlock: (block, sender, deposits = []) =>
      guarded(async () => {
        const sealed = await execute(
          { number: block.number, timestamp: block.timestamp, l1Origin: block.l1Origin, deposits },
          block.transactions.map((t) => hexToBytes(t)),
          sender,
        )
        await publish(sealed)
        return sealed.block
      }),
    rollbackTo: (n) =>
      mutex.run(async () => {
        const head = sequencer.head
        if (n >= head.header.number) return
        const target = (await store.block(n))!
        const ops: KvOp[] = []
        for (let m = head.header.number; m > n; m--) {
          const dropped = m === head.header.number ? head : await store.block(m)
          if (!dropped) continue
          ops.push({ type: 'del', key: keys.block(m) }, { type: 'del', key: keys.receipts(m) })
          ops.push({ type: 'del', key: keys.blockHash(dropped.hash) })
          for (const hash of dropped.transactionHashes) ops.push({ type: 'del', key: keys.tx(hash) })
        }
        ops.push({ type: 'put', key: keys.head, value: encodeNumber(n) })
        await kv.batch(ops)
        if (safe.header.number > n) safe = target
        await reopen(target)
      }),
    messagePasserStorageRoot: (stateRoot) => readMessagePasserStorageRoot(common, trieDb, stateRoot),
    setSafe(block) {
      safe = block
    },
    safe: () => safe,
    async close() {
      filters.close()
      await mutex.run(async () => {})
      await kv.close()
    },
  }
}
