/**
 * Mempool.best() for a run of picks. best() passes over every sender for each tx (a sixth of
 * the sequencer's own CPU with 200 busy senders); between two picks of a commit turn only the
 * picked sender's candidate changes, so the candidates are kept in a heap ordered exactly as
 * best() orders them (highest effective tip, then the sender's place in the pool) and each pick
 * costs O(log senders). The picker applies while the pool, the base fee and the nonces it was
 * given are those it was built with: `current` says so, and the caller rebuilds it otherwise.
 */
import type { Hex } from 'viem'
import type { Candidate, Mempool, PoolTx } from './mempool.ts'

type Entry = Candidate & { order: number }

export class Picker {
  private heap: Entry[] = []
  /** Each sender's place in the pool's iteration order, best()'s tie-break. */
  private orders = new Map<Hex, number>()
  private version: number

  constructor(
    private readonly pool: Mempool,
    private readonly nextNonce: (sender: Hex) => bigint | undefined,
    readonly baseFee: bigint,
  ) {
    let order = 0
    for (const sender of pool.senders()) {
      this.orders.set(sender, order)
      this.push(sender, order++)
    }
    this.version = pool.version
  }

  /** Whether picks still equal best(): the pool unchanged since the last refresh, the same base fee. */
  current(baseFee: bigint): boolean {
    return baseFee === this.baseFee && this.pool.version === this.version
  }

  /** Takes best()'s tx out of the picker; `refresh` its sender once the pool and nonces reflect it. */
  pop(): PoolTx | undefined {
    const heap = this.heap
    const top = heap[0]
    if (!top) return undefined
    const last = heap.pop() as Entry
    if (heap.length > 0) {
      heap[0] = last
      this.down(0)
    }
    return top.p
  }

  /** Re-reads the sender's candidate after the caller changed its txs or next nonce. */
  refresh(sender: Hex): void {
    const order = this.orders.get(sender)
    if (order !== undefined) this.push(sender, order)
    this.version = this.pool.version
  }

  private push(sender: Hex, order: number) {
    const c = this.pool.candidate(sender, this.nextNonce(sender), this.baseFee)
    if (!c) return
    this.heap.push({ p: c.p, tip: c.tip, order })
    this.up(this.heap.length - 1)
  }

  private up(i: number) {
    const heap = this.heap
    const e = heap[i] as Entry
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(e, heap[parent] as Entry)) break
      heap[i] = heap[parent] as Entry
      i = parent
    }
    heap[i] = e
  }

  private down(i: number) {
    const heap = this.heap
    const e = heap[i] as Entry
    for (;;) {
      let child = 2 * i + 1
      if (child >= heap.length) break
      if (child + 1 < heap.length && before(heap[child + 1] as Entry, heap[child] as Entry)) child++
      if (!before(heap[child] as Entry, e)) break
      heap[i] = heap[child] as Entry
      i = child
    }
    heap[i] = e
  }
}

/** best()'s order: the higher tip first, ties in pool order. */
function before(a: Entry, b: Entry): boolean {
  return a.tip > b.tip || (a.tip === b.tip && a.order < b.order)
}
