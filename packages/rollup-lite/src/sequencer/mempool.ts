/**
 * Pending transactions by sender and nonce. Picks the executable tx with the highest tip
 * (respecting each sender's nonce order), replaces same-nonce txs only with a ≥10% fee bump,
 * and bounds txs per sender and in total.
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

export type MempoolLimits = { maxPerSender: number; maxTotal: number }

export class Mempool {
  private bySender = new Map<Hex, Map<bigint, PoolTx>>()
  private byHash = new Map<Hex, PoolTx>()

  constructor(private readonly limits: MempoolLimits) {}

  get size(): number {
    return this.byHash.size
  }

  has(hash: Hex): boolean {
    return this.byHash.has(hash)
  }

  get(hash: Hex): PoolTx | undefined {
    return this.byHash.get(hash)
  }

  /**
   * Adds a tx; returns the tx it replaced, if any. Throws RpcError when rejected. The per-sender
   * limit bounds queued (future-nonce) txs: a tx at the sender's next nonce is always taken.
   */
  add(p: PoolTx, executable = false): PoolTx | undefined {
    let txs = this.bySender.get(p.sender)
    const existing = txs?.get(p.nonce)
    if (existing) {
      const bump = (x: bigint) => x + (x * MIN_PRICE_BUMP_PERCENT) / 100n
      if (p.maxFee < bump(existing.maxFee) || p.maxTip < bump(existing.maxTip)) {
        throw txRejected('replacement transaction underpriced')
      }
      this.byHash.delete(existing.hash)
    } else {
      if (!executable && (txs?.size ?? 0) >= this.limits.maxPerSender)
        throw txRejected('account limit exceeded: too many pending transactions')
      if (this.byHash.size >= this.limits.maxTotal) throw txRejected('txpool is full')
    }
    if (!txs) {
      txs = new Map()
      this.bySender.set(p.sender, txs)
    }
    txs.set(p.nonce, p)
    this.byHash.set(p.hash, p)
    return existing
  }

  remove(p: PoolTx): void {
    const txs = this.bySender.get(p.sender)
    if (txs?.get(p.nonce) === p) {
      txs.delete(p.nonce)
      if (txs.size === 0) this.bySender.delete(p.sender)
    }
    this.byHash.delete(p.hash)
  }

  /** Drops a sender's txs below `nonce` (already used). */
  dropStale(sender: Hex, nonce: bigint): void {
    const txs = this.bySender.get(sender)
    if (!txs) return
    for (const p of [...txs.values()]) if (p.nonce < nonce) this.remove(p)
  }

  /**
   * The executable tx with the highest effective tip at `baseFee`: for each sender only the tx at
   * its next nonce is a candidate. Ties keep arrival order (Map iteration order).
   */
  best(nextNonce: (sender: Hex) => bigint | undefined, baseFee: bigint): PoolTx | undefined {
    let best: PoolTx | undefined
    let bestTip = -1n
    for (const [sender, txs] of this.bySender) {
      const nonce = nextNonce(sender)
      if (nonce === undefined) continue
      const p = txs.get(nonce)
      if (!p || p.maxFee < baseFee) continue
      const headroom = p.maxFee - baseFee
      // biome-ignore lint/complexity/useMathMinMax: bigint
      const tip = p.maxTip < headroom ? p.maxTip : headroom
      if (tip > bestTip) {
        best = p
        bestTip = tip
      }
    }
    return best
  }

  senders(): IterableIterator<Hex> {
    return this.bySender.keys()
  }
}
