/**
 * Orders and executes transactions with group commit (decision 0108): a commit turn executes the
 * ready txs, seals them as one block (state root, header, receipts), writes the block's one atomic
 * KV batch, and only then publishes it (head, receipts, logs, filters, subscriptions) and answers
 * the eth_sendRawTransaction calls waiting on it. Txs that arrive while a commit is in flight go
 * into the next block, so blocks grow with load and the per-block cost is amortized. Nothing is
 * visible before it is durable, so every view agrees with every other at each instant.
 */
import type { Hex } from 'viem'
import { serverError } from '../chain/errors.ts'
import type { SealedBlock, StoredReceipt } from '../chain/types.ts'
import { executeDeposit } from '../exec/deposit.ts'
import { type BlockExecutor, BlockFullError, type ExecutedTx } from '../exec/executor.ts'
import type { Mutex } from '../exec/mutex.ts'
import {
  checkAgainstState,
  decodeRawTx,
  recoverSync,
  type SenderRecoverer,
  withSender,
} from '../protocol/tx-validity.ts'
import type { KV, KvOp } from '../state/kv.ts'
import type { DepositFeed } from './deposit-feed.ts'
import type { Events } from './events.ts'
import { Mempool, type MempoolLimits } from './mempool.ts'
import { Picker } from './picker.ts'

export type SequencerEvents = {
  blockSealed: [block: SealedBlock, receipts: StoredReceipt[]]
  blockPersisted: [number: bigint]
  txExecuted: [tx: ExecutedTx]
  txDropped: [hash: Hex, reason: string]
  error: [error: Error]
}

export type SequencerOptions = {
  /** Interval of the housekeeping timer (queued-tx expiry, forced txs, empty blocks); 0 = none. */
  blockTime: number
  /** Seal when the open block holds this many txs. */
  maxBlockTxs: number
  /** Seal an empty block when no block was sealed for `blockTime`. */
  sealEmpty: boolean
  maxPerSender: number
  maxPoolSize: number
  /** Queued-tx bounds and lifetime (README "Mempool"). */
  queue?: Pick<MempoolLimits, 'maxQueuedPerSender' | 'maxQueued' | 'queueLifetimeMs'>
  /**
   * Txs executed per commit turn, i.e. the most one group commit holds before it seals (keeps
   * soft confirmation short and RPC reads responsive under load).
   */
  drainChunk: number
  /** Off-thread sender recovery (default: on the executing thread). */
  recoverer?: SenderRecoverer
  /** The bridge (SPEC.md §10.2): L1 origins and the deposits a block moving its origin begins with. */
  deposits?: DepositFeed
}

type Waiter = { resolve: () => void; reject: (error: Error) => void; timer?: ReturnType<typeof setTimeout> }

/** How long a tx behind a nonce gap holds its eth_sendRawTransaction answer for the gap to fill. */
export const QUEUED_ANSWER_MS = 1_000

export class Sequencer {
  readonly mempool: Mempool
  /**
   * The published head: sealed, on disk, and the block every RPC view calls `latest` (and `safe`).
   * The executor's own head may be one block ahead while that block is being written.
   */
  head: SealedBlock
  private nextNonce = new Map<Hex, bigint>()
  private commitQueued = false
  private timer: ReturnType<typeof setInterval> | undefined
  /** The last sealed block's write and publication: blocks reach disk and readers strictly in order. */
  private writes: Promise<void> = Promise.resolve()
  /** eth_sendRawTransaction calls waiting until their tx's block is durable and published. */
  private waiters = new Map<Hex, Waiter>()
  private lastSealAt = Date.now()
  private fatal: Error | undefined
  closed = false

  constructor(
    readonly executor: BlockExecutor,
    private readonly mutex: Mutex,
    private readonly kv: KV,
    private readonly events: Events<SequencerEvents>,
    private readonly options: SequencerOptions,
  ) {
    this.mempool = new Mempool({ maxPerSender: options.maxPerSender, maxTotal: options.maxPoolSize, ...options.queue })
    this.head = executor.head
    if (options.blockTime > 0) {
      this.timer = setInterval(() => {
        void this.tick()
      }, options.blockTime)
    }
  }

  /** With group commit the published head is the persisted head. */
  get persistedHead(): bigint {
    return this.head.header.number
  }

  /**
   * Validates and queues a raw signed tx; resolves with its hash once its block is sealed, on disk
   * and published (durable admission).
   */
  async submit(raw: Uint8Array): Promise<Hex> {
    const { hash, committed } = await this.admit(raw)
    await committed
    return hash
  }

  /**
   * Validates and queues a raw signed tx. `committed` settles when the tx's block is durable and
   * published, or rejects with the reason the tx was dropped. A tx behind a nonce gap waits for
   * the gap to fill; past QUEUED_ANSWER_MS it settles as a mere pool acceptance (as geth answers),
   * with no block. `commit: false` leaves the commit to `commitSoon` (a JSON-RPC batch admits all
   * its txs in order first, so they share one block).
   */
  async admit(raw: Uint8Array, { commit = true } = {}): Promise<{ hash: Hex; committed: Promise<void> }> {
    if (this.fatal) throw serverError(`node stopped: ${this.fatal.message}`)
    const ex = this.executor
    const decoded = decodeRawTx(
      raw,
      ex.txCommon,
      ex.vm.common.customCrypto.keccak256 as (b: Uint8Array) => Uint8Array,
      ex.open.gasLimit,
    )
    const recoverer = this.options.recoverer
    const p = withSender(decoded, recoverer ? await recoverer.recover(decoded.tx) : recoverSync(decoded.tx))
    // The promise goes out in a box: an async function returning it would wait for it, holding the mutex.
    const { committed } = await this.mutex.run(async () => {
      if (this.closed) throw serverError('node is closing')
      if (this.mempool.has(p.hash) || this.waiters.has(p.hash)) throw serverError('already known')
      // The sender pinned on the tx (an Address): no hex → bytes round trip per admission.
      const account = await ex.vm.stateManager.getAccount(p.tx.getSenderAddress())
      const state = { nonce: account?.nonce ?? 0n, balance: account?.balance ?? 0n }
      checkAgainstState(p, state, ex.open.baseFeePerGas)
      this.nextNonce.set(p.sender, state.nonce)
      this.mempool.dropStale(p.sender, state.nonce)
      const replaced = this.mempool.add(p, state.nonce)
      if (replaced) this.settle(replaced.hash, serverError('replaced by a transaction with the same nonce'))
      const executable = p.nonce === state.nonce
      const committed = this.waitForBlock(p.hash, executable)
      // Queued behind every admission already waiting on the mutex: they join this commit.
      if (executable && commit) this.scheduleCommit()
      return { committed }
    })
    return { hash: p.hash, committed }
  }

  /** Commits the txs admitted with `commit: false`. */
  commitSoon(): void {
    this.scheduleCommit()
  }

  /** Seals the open block now (if it has txs, or always with `force`); resolves once published. */
  async sealNow(force = false): Promise<SealedBlock | undefined> {
    // The block it seals takes the newest confirmed L1 origin (an L1 error throws to the caller).
    await this.options.deposits?.refresh()
    const block = await this.mutex.run(async () => {
      await this.includeDeposits()
      await this.drainTurn(Number.POSITIVE_INFINITY)
      if (this.executor.open.txs.length === 0 && !force) return undefined
      return this.seal()
    })
    await this.flushed()
    return block
  }

  /** Resolves when every sealed block so far is on disk and published. */
  async flushed(): Promise<void> {
    await this.writes
    if (this.fatal) throw this.fatal
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    await this.mutex.run(async () => {})
    await this.writes
    this.rejectAll(serverError('node is closing'))
    await this.options.recoverer?.close()
  }

  /** Housekeeping on the interval: queued-tx expiry, deposits, an empty block if asked for. */
  private async tick() {
    if (this.closed || this.fatal) return
    // Outside the mutex: commit turns never wait on L1. An L1 that does not answer only holds
    // the origin where it is (the next tick asks again).
    await this.options.deposits?.refresh().catch(() => {})
    await this.mutex
      .run(async () => {
        if (this.closed) return
        this.mempool.expire()
        await this.includeDeposits()
        const idle = Date.now() - this.lastSealAt >= this.options.blockTime
        if (this.executor.open.txs.length > 0 || (this.options.sealEmpty && idle)) await this.seal()
      })
      .catch((error) => this.fail(error))
  }

  /** Background work never throws into the event loop: the node stops and reports instead. */
  private fail(error: unknown) {
    this.fatal ??= error instanceof Error ? error : new Error(String(error))
    this.events.emit('error', this.fatal)
    this.rejectAll(serverError(`node stopped: ${this.fatal.message}`))
  }

  private waitForBlock(hash: Hex, executable: boolean): Promise<void> {
    const committed = new Promise<void>((resolve, reject) => {
      const timer = executable ? undefined : setTimeout(() => this.settle(hash), QUEUED_ANSWER_MS)
      this.waiters.set(hash, { resolve, reject, timer })
    })
    // Whoever asked may be gone (a failed batch): a drop must not become an unhandled rejection.
    committed.catch(() => {})
    return committed
  }

  private settle(hash: Hex, error?: Error) {
    const waiter = this.waiters.get(hash)
    if (!waiter) return
    this.waiters.delete(hash)
    if (waiter.timer) clearTimeout(waiter.timer)
    if (error) waiter.reject(error)
    else waiter.resolve()
  }

  private rejectAll(error: Error) {
    for (const hash of [...this.waiters.keys()]) this.settle(hash, error)
  }

  /** Queues one commit turn on the mutex (one at a time: later arrivals join it). */
  private scheduleCommit() {
    if (this.commitQueued || this.closed || this.fatal) return
    this.commitQueued = true
    void this.mutex
      .run(() => {
        this.commitQueued = false
        return this.commitTurn()
      })
      .then((more) => {
        // More ready txs than one turn takes: yield to the event loop (reads, admissions) first.
        if (more) setTimeout(() => this.scheduleCommit(), 0)
      })
      .catch((error) => this.fail(error))
  }

  /** Executes up to one chunk of ready txs and seals them. Must run in the mutex. */
  private async commitTurn(): Promise<boolean> {
    if (this.closed || this.fatal) return false
    await this.includeDeposits()
    const more = await this.drainTurn(this.options.drainChunk)
    if (this.executor.open.txs.length > 0) await this.seal()
    return more
  }

  /** Executes up to `budget` ready txs; returns true if ready txs remain. Must run in the mutex. */
  private async drainTurn(budget: number): Promise<boolean> {
    const ex = this.executor
    let done = 0
    // Picks in mempool.best() order; rebuilt when the base fee, the pool or the nonces change otherwise.
    let picker: Picker | undefined
    while (done < budget && !this.closed) {
      if (!picker?.current(ex.open.baseFeePerGas))
        picker = new Picker(this.mempool, (s) => this.nextNonce.get(s), ex.open.baseFeePerGas)
      const p = picker.pop()
      if (!p) return false
      try {
        const executed = await ex.execute(p.tx, p.raw, p.hash)
        this.mempool.remove(p)
        this.nextNonce.set(p.sender, p.nonce + 1n)
        picker.refresh(p.sender)
        if (p.tx.type === 4) {
          this.nextNonce.clear() // 7702 authorizations bump other accounts' nonces
          picker = undefined
        }
        this.events.emit('txExecuted', executed)
        done++
        if (ex.open.txs.length >= this.options.maxBlockTxs) await this.seal()
      } catch (error) {
        if (error instanceof BlockFullError) {
          picker?.refresh(p.sender) // p goes first into the next block
          await this.seal()
          continue
        }
        this.mempool.remove(p)
        this.nextNonce.delete(p.sender)
        const reason = (error as Error).message
        this.events.emit('txDropped', p.hash, reason)
        this.settle(p.hash, serverError(reason))
        // Re-read this sender's nonce from state for its remaining txs.
        // The sender pinned on the tx (an Address): no hex → bytes round trip per admission.
        const account = await ex.vm.stateManager.getAccount(p.tx.getSenderAddress())
        this.nextNonce.set(p.sender, account?.nonce ?? 0n)
        picker?.refresh(p.sender)
      }
    }
    return true
  }

  /**
   * Seals the open block and starts its write; the block is published (and its txs answered) when
   * the write returns. One block is written while the next one executes. Must run in the mutex.
   */
  private async seal(): Promise<SealedBlock> {
    const { block, receipts, ops } = await this.executor.seal()
    this.lastSealAt = Date.now()
    await this.writes
    if (this.fatal) throw this.fatal
    this.writes = this.persistAndPublish(block, receipts, ops)
    return block
  }

  private async persistAndPublish(block: SealedBlock, receipts: StoredReceipt[], ops: KvOp[]): Promise<void> {
    try {
      // A returned LevelDB batch is in the OS page cache and an IndexedDB transaction has
      // completed: either survives the process or Worker being killed (decision 0109).
      await this.kv.batch(ops)
    } catch (error) {
      this.fail(error)
      return
    }
    this.head = block
    this.events.emit('blockSealed', block, receipts)
    this.events.emit('blockPersisted', block.header.number)
    for (const hash of block.transactionHashes) this.settle(hash)
  }

  /**
   * At the start of a block (nothing executed in it yet): moves its L1 origin as far as the feed
   * allows and places the deposits of the L1 blocks it moves past first. Must run in the mutex.
   */
  private async includeDeposits() {
    const feed = this.options.deposits
    const open = this.executor.open
    if (!feed || open.txs.length > 0) return
    const { origin, deposits } = feed.nextOrigin(open.l1Origin ?? 0n)
    open.l1Origin = origin
    for (const d of deposits) this.events.emit('txExecuted', await executeDeposit(this.executor, d))
  }

  /** Pending (not yet executed) tx count. */
  get pendingCount(): number {
    return this.mempool.size
  }
}
