/**
 * Orders and executes transactions: admission → mempool → drained into the open block right away
 * (soft confirmation), sealed on an interval or when full; each sealed block is persisted with one
 * atomic KV batch, written behind execution but strictly in order.
 */
import { createAddressFromString } from '@ethereumjs/util'
import type { Hex } from 'viem'
import { serverError } from '../chain/errors.ts'
import type { SealedBlock, StoredReceipt } from '../chain/types.ts'
import { type BlockExecutor, BlockFullError, type ExecutedTx } from '../exec/executor.ts'
import type { Mutex } from '../exec/mutex.ts'
import type { KV } from '../state/kv.ts'
import { checkAgainstState, decodeRawTx, recoverSync, type SenderRecoverer, withSender } from './admit.ts'
import type { Events } from './events.ts'
import { Mempool, type MempoolLimits } from './mempool.ts'

export type SequencerEvents = {
  blockSealed: [block: SealedBlock, receipts: StoredReceipt[]]
  blockPersisted: [number: bigint]
  txExecuted: [tx: ExecutedTx]
  txDropped: [hash: Hex, reason: string]
  error: [error: Error]
}

export type SequencerOptions = {
  /** Seal the open block every `blockTime` ms (0 disables the timer). */
  blockTime: number
  /** Seal when the open block holds this many txs. */
  maxBlockTxs: number
  /** Seal empty blocks on the interval too. */
  sealEmpty: boolean
  maxPerSender: number
  maxPoolSize: number
  /** Queued-tx bounds and lifetime (README "Mempool"). */
  queue?: Pick<MempoolLimits, 'maxQueuedPerSender' | 'maxQueued' | 'queueLifetimeMs'>
  /** Txs executed per turn before yielding (keeps RPC reads responsive under load). */
  drainChunk: number
  /** Off-thread sender recovery (default: on the executing thread). */
  recoverer?: SenderRecoverer
  /** Deposits-inclusion hook (bridge): raw signed txs placed first in each new block. */
  forcedTransactions?: (block: { number: bigint; timestamp: bigint }) => Promise<Uint8Array[]>
}

const MAX_UNPERSISTED_BLOCKS = 8

export class Sequencer {
  readonly mempool: Mempool
  private nextNonce = new Map<Hex, bigint>()
  private drainScheduled = false
  private flushScheduled = false
  private timer: ReturnType<typeof setInterval> | undefined
  private writes: Promise<void> = Promise.resolve()
  private unpersisted = 0
  private fatal: Error | undefined
  persistedHead: bigint
  closed = false

  constructor(
    readonly executor: BlockExecutor,
    private readonly mutex: Mutex,
    private readonly kv: KV,
    private readonly events: Events<SequencerEvents>,
    private readonly options: SequencerOptions,
  ) {
    this.mempool = new Mempool({ maxPerSender: options.maxPerSender, maxTotal: options.maxPoolSize, ...options.queue })
    this.persistedHead = executor.head.header.number
    if (options.blockTime > 0) {
      this.timer = setInterval(() => {
        void this.sealIfDue()
      }, options.blockTime)
    }
  }

  /** Validates and queues a raw signed tx; resolves with its hash once admitted. */
  async submit(raw: Uint8Array): Promise<Hex> {
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
    let more = true
    await this.mutex.run(async () => {
      if (this.mempool.has(p.hash) || ex.open.byHash.has(p.hash)) throw serverError('already known')
      const account = await ex.vm.stateManager.getAccount(createAddressFromString(p.sender))
      const state = { nonce: account?.nonce ?? 0n, balance: account?.balance ?? 0n }
      checkAgainstState(p, state, ex.open.baseFeePerGas)
      this.nextNonce.set(p.sender, state.nonce)
      this.mempool.dropStale(p.sender, state.nonce)
      const executable = p.nonce === state.nonce
      this.mempool.add(p, state.nonce)
      // Soft confirmation: an executable tx runs before sendRawTransaction answers, so its
      // receipt is there for the very first eth_getTransactionReceipt.
      if (executable) more = await this.drainTurn(this.options.drainChunk)
    })
    if (more) this.scheduleDrain()
    else this.scheduleIdleFlush()
    return p.hash
  }

  /** Seals the open block now (if it has txs, or always with `force`). */
  sealNow(force = false): Promise<SealedBlock | undefined> {
    return this.mutex.run(async () => {
      await this.drainTurn(Number.POSITIVE_INFINITY)
      if (this.executor.open.txs.length === 0 && !force) return undefined
      return this.seal()
    })
  }

  /** Resolves when every sealed block so far is on disk. */
  async flushed(): Promise<void> {
    await this.writes
    if (this.fatal) throw this.fatal
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    await this.mutex.run(async () => {})
    await this.writes
    await this.options.recoverer?.close()
  }

  private async sealIfDue() {
    if (this.closed || this.fatal) return
    await this.mutex
      .run(async () => {
        if (this.closed) return
        this.mempool.expire()
        if (this.executor.open.txs.length > 0 || this.options.sealEmpty) await this.seal()
      })
      .catch((error) => this.fail(error))
  }

  /** Background work never throws into the event loop: the node stops and reports instead. */
  private fail(error: unknown) {
    this.fatal ??= error instanceof Error ? error : new Error(String(error))
    this.events.emit('error', this.fatal)
  }

  private scheduleDrain() {
    if (this.drainScheduled) return
    this.drainScheduled = true
    setTimeout(() => {
      this.drainScheduled = false
      if (this.closed || this.fatal) return
      void this.mutex
        .run(() => this.drainTurn(this.options.drainChunk))
        .then((more) => {
          if (more) this.scheduleDrain()
          else this.scheduleIdleFlush()
        })
        .catch((error) => this.fail(error))
    }, 0)
  }

  /**
   * When the node goes idle, hash the open block's state changes into the trie then, not all at
   * seal: the seal's critical section (which every new tx waits behind) stays a few ms instead of
   * tens. A tx arriving meanwhile queues on the mutex ahead of the flush; under a saturating load
   * there is no idle time and changes coalesce until the seal, as before (throughput unchanged).
   */
  private scheduleIdleFlush() {
    if (this.flushScheduled || this.executor.unflushed === 0) return
    this.flushScheduled = true
    setTimeout(() => {
      this.flushScheduled = false
      if (this.closed || this.fatal) return
      void this.mutex
        .run(async () => {
          if (this.closed || this.executor.unflushed === 0) return
          if (this.mempool.best((s) => this.nextNonce.get(s), this.executor.open.baseFeePerGas)) return
          await this.executor.flush()
        })
        .catch((error) => this.fail(error))
    }, 0)
  }

  /** Executes up to `budget` ready txs; returns true if ready txs remain. Must run in the mutex. */
  private async drainTurn(budget: number): Promise<boolean> {
    const ex = this.executor
    let done = 0
    while (done < budget && !this.closed) {
      const p = this.mempool.best((s) => this.nextNonce.get(s), ex.open.baseFeePerGas)
      if (!p) return false
      try {
        const executed = await ex.execute(p.tx, p.raw, p.hash)
        this.mempool.remove(p)
        this.nextNonce.set(p.sender, p.nonce + 1n)
        if (p.tx.type === 4) this.nextNonce.clear() // 7702 authorizations bump other accounts' nonces
        this.events.emit('txExecuted', executed)
        done++
        if (ex.open.txs.length >= this.options.maxBlockTxs) await this.seal()
      } catch (error) {
        if (error instanceof BlockFullError) {
          await this.seal()
          continue
        }
        this.mempool.remove(p)
        this.nextNonce.delete(p.sender)
        this.events.emit('txDropped', p.hash, (error as Error).message)
        // Re-read this sender's nonce from state for its remaining txs.
        const account = await ex.vm.stateManager.getAccount(createAddressFromString(p.sender))
        this.nextNonce.set(p.sender, account?.nonce ?? 0n)
      }
    }
    return true
  }

  /** Must run in the mutex. */
  private async seal(): Promise<SealedBlock> {
    const { block, receipts, ops } = await this.executor.seal()
    this.unpersisted++
    const n = block.header.number
    this.writes = this.writes.then(async () => {
      if (this.fatal) return
      // Start the write once the mutex is released: handing the batch to LevelDB encodes every op
      // synchronously, which would otherwise lengthen the seal's critical section (decision 0102).
      await new Promise((resolve) => setTimeout(resolve, 0))
      if (this.fatal) return
      try {
        await this.kv.batch(ops)
        this.persistedHead = n
        this.unpersisted--
        this.events.emit('blockPersisted', n)
      } catch (error) {
        this.fatal = error as Error
        this.events.emit('error', this.fatal)
      }
    })
    this.events.emit('blockSealed', block, receipts)
    // Backpressure: never run far ahead of the disk.
    if (this.unpersisted > MAX_UNPERSISTED_BLOCKS) await this.writes
    await this.includeForced()
    return block
  }

  private async includeForced() {
    const hook = this.options.forcedTransactions
    if (!hook) return
    const open = this.executor.open
    for (const raw of await hook({ number: open.number, timestamp: open.timestamp })) {
      const decoded = decodeRawTx(
        raw,
        this.executor.txCommon,
        this.executor.vm.common.customCrypto.keccak256 as (b: Uint8Array) => Uint8Array,
        open.gasLimit,
      )
      const p = withSender(decoded, recoverSync(decoded.tx))
      const executed = await this.executor.execute(p.tx, p.raw, p.hash)
      this.events.emit('txExecuted', executed)
    }
  }

  /** Pending (not yet executed) tx count. */
  get pendingCount(): number {
    return this.mempool.size
  }
}
