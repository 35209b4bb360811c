/**
 * Pending transactions by sender and nonce. Picks the executable tx with the highest tip
 * (respecting each sender's nonce order), replaces same-nonce txs only with a ≥10% fee bump,
 * and bounds txs per sender and in total (README "Mempool").
 *
 * A sender's txs are *pending* from its state nonce up to the first gap, *queued* after it (they
 * cannot run until someone fills the gap, so they cost room and give nothing). Queued txs are
 * bounded per sender and in total, expire after `queueLifetimeMs`, and are evicted first when
 * the pool is full: txs that can run always find room while any queued tx remains.
 */
import type { TypedTransaction } from '@ethereumjs/tx'
import type { Hex } from 'viem'
import { txRejected } from '../chain/errors.ts'
import { MIN_PRICE_BUMP_PERCENT } from '../chain/spec.ts'

export type PoolTx = {
  tx: TypedTransaction
  raw: Uint8Array
  hash: Hex
  sender: Hex
  nonce: bigint
  maxFee: bigint
  maxTip: bigint
}

export type MempoolLimits = {
  /** Txs one sender may hold (the tx at its state nonce is always taken). */
  maxPerSender: number
  maxTotal: number
  /** Queued (behind a nonce gap) txs of one sender (geth's AccountQueue: 64). */
  maxQueuedPerSender?: number
  /** Queued txs over all senders (default a quarter of `maxTotal`): the rest is for pending txs. */
  maxQueued?: number
  /** A queued tx is dropped after this long (geth's Lifetime: 3 h). */
  queueLifetimeMs?: number
}

export const DEFAULT_MAX_QUEUED_PER_SENDER = 64
export const DEFAULT_QUEUE_LIFETIME_MS = 3 * 3_600_000

export type Candidate = { p: PoolTx; tip: bigint }

type SenderTxs = {
  txs: Map<bigint, PoolTx>
  /** The sender's state nonce when last seen: pending txs run from here. */
  base: bigint
  queued: number
}

export class Mempool {
  private bySender = new Map<Hex, SenderTxs>()
  private byHash = new Map<Hex, PoolTx>()
  private addedAt = new Map<Hex, number>()
  private queuedTotal = 0
  private changes = 0
  private readonly maxQueuedPerSender: number
  private readonly maxQueued: number
  private readonly lifetimeMs: number

  constructor(
    private readonly limits: MempoolLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.maxQueuedPerSender = limits.maxQueuedPerSender ?? DEFAULT_MAX_QUEUED_PER_SENDER
    this.maxQueued = limits.maxQueued ?? Math.max(1, Math.floor(limits.maxTotal / 4))
    this.lifetimeMs = limits.queueLifetimeMs ?? DEFAULT_QUEUE_LIFETIME_MS
  }

  get size(): number {
    return this.byHash.size
  }

  /** Txs behind a nonce gap, over all senders. */
  get queuedCount(): number {
    return this.queuedTotal
  }

  has(hash: Hex): boolean {
    return this.byHash.has(hash)
  }

  get(hash: Hex): PoolTx | undefined {
    return this.byHash.get(hash)
  }

  /**
   * Adds a tx; returns the tx it replaced, if any. Throws RpcError when rejected. `stateNonce` is
   * the sender's nonce in state now (default: the lowest nonce the pool knows for it).
   */
  add(p: PoolTx, stateNonce?: bigint): PoolTx | undefined {
    let s = this.bySender.get(p.sender)
    const existing = s?.txs.get(p.nonce)
    if (stateNonce !== undefined && s) s.base = stateNonce
    if (existing) {
      const bump = (x: bigint) => x + (x * MIN_PRICE_BUMP_PERCENT) / 100n
      if (p.maxFee < bump(existing.maxFee) || p.maxTip < bump(existing.maxTip)) {
        throw txRejected('replacement transaction underpriced')
      }
      this.byHash.delete(existing.hash)
      this.addedAt.delete(existing.hash)
    } else {
      const base = s?.base ?? stateNonce ?? p.nonce
      const executable = p.nonce === base
      if (!executable && (s?.txs.size ?? 0) >= this.limits.maxPerSender)
        throw txRejected('account limit exceeded: too many pending transactions')
      const queued = !executable && !this.fillsRun(s, base, p.nonce)
      if (queued) {
        if ((s?.queued ?? 0) >= this.maxQueuedPerSender)
          throw txRejected(`account limit exceeded: at most ${this.maxQueuedPerSender} queued transactions`)
        if (this.queuedTotal >= this.maxQueued) this.expire()
        if (this.queuedTotal >= this.maxQueued) throw txRejected('txpool is full: too many queued transactions')
      }
      if (this.byHash.size >= this.limits.maxTotal) {
        this.expire()
        // Queued txs give way to a tx that can run; nothing gives way to a queued one.
        if (this.byHash.size >= this.limits.maxTotal && (queued || !this.evictQueued()))
          throw txRejected('txpool is full')
      }
    }
    if (!s) {
      s = { txs: new Map(), base: stateNonce ?? p.nonce, queued: 0 }
      this.bySender.set(p.sender, s)
    }
    s.txs.set(p.nonce, p)
    this.byHash.set(p.hash, p)
    this.addedAt.set(p.hash, this.now())
    this.recount(s)
    this.changes++
    return existing
  }

  remove(p: PoolTx): void {
    const s = this.bySender.get(p.sender)
    if (s?.txs.get(p.nonce) === p) {
      s.txs.delete(p.nonce)
      // Removing the tx at the base means it ran (or was dropped): the run continues after it.
      if (p.nonce === s.base) s.base = p.nonce + 1n
      this.recount(s)
      if (s.txs.size === 0) this.bySender.delete(p.sender)
    }
    this.byHash.delete(p.hash)
    this.addedAt.delete(p.hash)
    this.changes++
  }

  /** Drops a sender's txs below `nonce` (already used); `nonce` is its state nonce now. */
  dropStale(sender: Hex, nonce: bigint): void {
    const s = this.bySender.get(sender)
    if (!s) return
    // Collected first (remove edits the map); most admissions find nothing stale, so no copy of every tx.
    const stale: PoolTx[] = []
    for (const p of s.txs.values()) if (p.nonce < nonce) stale.push(p)
    for (const p of stale) this.remove(p)
    const left = this.bySender.get(sender)
    if (left) {
      left.base = nonce
      this.recount(left)
    }
  }

  /** Drops queued txs older than the queue lifetime. */
  expire(now = this.now()): void {
    if (this.queuedTotal === 0) return
    for (const s of [...this.bySender.values()]) {
      if (s.queued === 0) continue
      for (const p of [...s.txs.values()]) {
        if (now - (this.addedAt.get(p.hash) ?? now) > this.lifetimeMs && this.isQueued(s, p.nonce)) this.remove(p)
      }
    }
  }

  /**
   * The executable tx with the highest effective tip at `baseFee`: for each sender only the tx at
   * its next nonce is a candidate. Ties keep arrival order (Map iteration order).
   */
  best(nextNonce: (sender: Hex) => bigint | undefined, baseFee: bigint): PoolTx | undefined {
    let best: Candidate | undefined
    for (const sender of this.bySender.keys()) {
      const c = this.candidate(sender, nextNonce(sender), baseFee)
      if (c && (!best || c.tip > best.tip)) best = c
    }
    return best?.p
  }

  /** The tx best() considers for `sender` (the one at `nonce`) and its effective tip at `baseFee`. */
  candidate(sender: Hex, nonce: bigint | undefined, baseFee: bigint): Candidate | undefined {
    if (nonce === undefined) return undefined
    const p = this.bySender.get(sender)?.txs.get(nonce)
    if (!p || p.maxFee < baseFee) return undefined
    const headroom = p.maxFee - baseFee
    // biome-ignore lint/complexity/useMathMinMax: bigint
    return { p, tip: p.maxTip < headroom ? p.maxTip : headroom }
  }

  /** Bumped on every change of the pool (a Picker built before a change no longer applies). */
  get version(): number {
    return this.changes
  }

  senders(): IterableIterator<Hex> {
    return this.bySender.keys()
  }

  /** Whether a tx at `nonce` would extend the sender's pending run (no gap before it). */
  private fillsRun(s: SenderTxs | undefined, base: bigint, nonce: bigint): boolean {
    if (nonce < base) return true
    // More missing nonces than txs held: there is a gap (and no loop over a huge nonce distance).
    if (nonce - base > BigInt(s?.txs.size ?? 0)) return false
    for (let n = base; n < nonce; n++) if (!s?.txs.has(n)) return false
    return true
  }

  private isQueued(s: SenderTxs, nonce: bigint): boolean {
    return !this.fillsRun(s, s.base, nonce)
  }

  private recount(s: SenderTxs) {
    let run = s.base
    while (s.txs.has(run)) run++
    let queued = 0
    for (const n of s.txs.keys()) if (n > run) queued++
    this.queuedTotal += queued - s.queued
    s.queued = queued
  }

  /** Drops the highest-nonce queued tx of the sender with the most queued txs. */
  private evictQueued(): boolean {
    let victim: SenderTxs | undefined
    for (const s of this.bySender.values()) if (s.queued > (victim?.queued ?? 0)) victim = s
    if (!victim) return false
    let top: PoolTx | undefined
    for (const p of victim.txs.values()) if (!top || p.nonce > top.nonce) top = p
    if (top) this.remove(top)
    return top !== undefined
  }
}
