/**
 * createRollupNode: opens (or initializes from genesis) a chain on a KV and returns the RPC
 * handler, status, events and close. Restart loads only the head pointer and head block; state
 * and history are read lazily, so start-up time does not grow with chain length.
 */
import { type Address, type Hex, hexToBytes, toHex } from 'viem'
import { loadCrypto, type RollupCrypto } from './chain/crypto.ts'
import { createRollupCommon } from './chain/spec.ts'
import type { Genesis, SealedBlock, StoredReceipt } from './chain/types.ts'
import { BlockExecutor, type ExecutedTx } from './exec/executor.ts'
import { openChain } from './exec/genesis.ts'
import { Mutex } from './exec/mutex.ts'
import { createStateVm } from './exec/state.ts'
import { MAX_BLOCK_TX_BYTES, rollupConfig } from './protocol/config.ts'
import { l1OriginOf } from './protocol/header.ts'
import type { NodeContext, RollupStatus } from './rpc/context.ts'
import { Filters } from './rpc/filters.ts'
import { createRpcHandler, type JsonRpcResponse, type RpcHandler, type RpcSession } from './rpc/handler.ts'
import { DEFAULT_RPC_LIMITS, type RpcLimits } from './rpc/limits.ts'
import { DepositFeed, type L1DepositSource } from './sequencer/deposit-feed.ts'
import { Events } from './sequencer/events.ts'
import { Sequencer, type SequencerEvents, type SequencerOptions } from './sequencer/sequencer.ts'
import { ChainStore } from './state/chain-store.ts'
import type { KV } from './state/kv.ts'
import { TrieDb } from './state/trie-db.ts'

export type RollupNodeOptions = {
  kv: KV
  genesis: Genesis
  /**
   * Interval in ms (default 1000) of the housekeeping timer: an empty block with `sealEmptyBlocks`,
   * queued-tx expiry, forced txs. Txs never wait for it: each commit seals its own block.
   */
  blockTime?: number
  maxBlockTxs?: number
  sealEmptyBlocks?: boolean
  gasLimit?: bigint
  coinbase?: Address
  maxPerSender?: number
  maxPoolSize?: number
  /** Queued (behind a nonce gap) txs: per sender (64), in total (maxPoolSize / 4), lifetime (3 h). */
  queue?: SequencerOptions['queue']
  /** Seconds clock for block timestamps (tests). */
  now?: () => bigint
  /**
   * The bridge: where deposits come from (sequencer/deposit-feed.ts `portalDepositSource`). Every
   * block then carries an L1 origin and begins with the deposits it moves past (SPEC.md §10.2).
   */
  deposits?: L1DepositSource
  /** Off-thread sender recovery (Node: createRecoverPool()). */
  recoverer?: SequencerOptions['recoverer']
  /** Crypto to use (default: WASM keccak + WASM secp256k1; Node passes native recovery). */
  crypto?: RollupCrypto
  /** Max trie nodes kept in memory. */
  trieCacheSize?: number
  /** Raw signed tx bytes one block may hold (default `MAX_BLOCK_TX_BYTES`: any block fits a batch). */
  maxBlockBytes?: number
  /** A filter nobody polled this long is removed (default 5 minutes, as geth). */
  filterTtlMs?: number
  /** What one client may cost the node (README "Limits"); unset fields keep their defaults. */
  rpcLimits?: Partial<RpcLimits>
}

export type RollupNode = {
  chainId: bigint
  rpc: RpcHandler
  handle(request: unknown, session?: RpcSession): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined>
  /** EIP-1193-style convenience: resolves with the result or throws the JSON-RPC error. */
  request(method: string, params?: unknown[]): Promise<unknown>
  status(): RollupStatus
  onBlockSealed(listener: (block: SealedBlock, receipts: StoredReceipt[]) => void): () => void
  onBlockPersisted(listener: (number: bigint) => void): () => void
  onTxExecuted(listener: (tx: ExecutedTx) => void): () => void
  /** A background failure (e.g. the disk refused a block): the node stops accepting txs. */
  onError(listener: (error: Error) => void): () => void
  /** Seals the open block now (even if empty with `force`); resolves once it is published. */
  sealNow(force?: boolean): Promise<SealedBlock | undefined>
  /** Resolves when all sealed blocks are on disk and published. */
  flushed(): Promise<void>
  setBatchStatus(status: Partial<RollupStatus['lastBatch']>): void
  block(number: bigint): Promise<SealedBlock | undefined>
  close(): Promise<void>
}

export async function createRollupNode(options: RollupNodeOptions): Promise<RollupNode> {
  const crypto = options.crypto ?? (await loadCrypto())
  const chainId = BigInt(options.genesis.chainId)
  const common = createRollupCommon(chainId, crypto)
  const kv = options.kv
  const trieDb = new TrieDb(kv, options.trieCacheSize)
  const store = new ChainStore(kv, crypto.keccak256)
  const config = rollupConfig(options.genesis, { gasLimit: options.gasLimit, coinbase: options.coinbase })
  const head = await openChain({
    kv,
    common,
    trieDb,
    store,
    keccak256: crypto.keccak256,
    genesis: options.genesis,
    config,
  })

  const vm = await createStateVm(common, trieDb, hexToBytes(head.header.stateRoot))
  const now = options.now ?? (() => BigInt(Math.floor(Date.now() / 1000)))
  const executor = new BlockExecutor(
    vm,
    common,
    trieDb,
    store,
    crypto.keccak256,
    { ...config, now, maxBlockBytes: options.maxBlockBytes ?? MAX_BLOCK_TX_BYTES },
    head,
  )
  await executor.openNext()
  const mutex = new Mutex()
  const events = new Events<SequencerEvents>()
  const sequencer = new Sequencer(executor, mutex, kv, events, {
    blockTime: options.blockTime ?? 1000,
    maxBlockTxs: options.maxBlockTxs ?? 5_000,
    sealEmpty: options.sealEmptyBlocks ?? false,
    maxPerSender: options.maxPerSender ?? 1_024,
    maxPoolSize: options.maxPoolSize ?? 50_000,
    queue: options.queue,
    drainChunk: 256,
    deposits: options.deposits && new DepositFeed(options.deposits, l1OriginOf(head.header) ?? 0n),
    recoverer: options.recoverer,
  })
  const filters = new Filters(options.filterTtlMs)
  const lastBatch: RollupStatus['lastBatch'] = { l1TxHash: null, l2BlockEnd: null, blobVersionedHashes: [], cid: null }
  const status = (): RollupStatus => {
    const h = sequencer.head
    return {
      chainId,
      head: { number: h.header.number, hash: h.hash, stateRoot: h.header.stateRoot, timestamp: h.header.timestamp },
      persistedHead: sequencer.persistedHead,
      openBlock: {
        number: executor.open.number,
        txCount: executor.open.txs.length,
        gasUsed: executor.open.gasUsed,
        baseFeePerGas: executor.open.baseFeePerGas,
      },
      pendingCount: sequencer.pendingCount,
      lastBatch: { ...lastBatch },
    }
  }
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
    lastBatch,
    limits: { ...DEFAULT_RPC_LIMITS, ...options.rpcLimits },
  }
  const rpc = createRpcHandler(ctx)
  let requestId = 0

  return {
    chainId,
    rpc,
    handle: rpc.handle,
    async request(method, params = []) {
      // In-process callers own the node: admin methods are theirs.
      const res = (await rpc.handle({ jsonrpc: '2.0', id: ++requestId, method, params }, undefined, {
        admin: true,
      })) as JsonRpcResponse
      if (res.error) throw Object.assign(new Error(res.error.message), { code: res.error.code, data: res.error.data })
      return res.result
    },
    status,
    onBlockSealed: (l) => events.on('blockSealed', l),
    onBlockPersisted: (l) => events.on('blockPersisted', l),
    onTxExecuted: (l) => events.on('txExecuted', l),
    onError: (l) => events.on('error', l),
    sealNow: (force) => sequencer.sealNow(force),
    flushed: () => sequencer.flushed(),
    setBatchStatus(s) {
      Object.assign(lastBatch, s)
    },
    block: (n) => {
      const head = sequencer.head
      if (n > head.header.number) return Promise.resolve(undefined)
      return n === head.header.number ? Promise.resolve(head) : store.block(n)
    },
    async close() {
      filters.close()
      await sequencer.close()
      await kv.close()
    },
  }
}

export { type Hex, toHex }
