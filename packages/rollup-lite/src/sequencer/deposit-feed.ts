/**
 * What the sequencer knows of L1 for deposits (SPEC.md §10.2): the highest origin it may take
 * (`latest − L1_CONFIRMATION_DEPTH`) and the inbox's deposits up to it, read in the background so
 * that no commit turn waits on L1. At the start of each block the sequencer asks `nextOrigin` and
 * places the deposits it returns first.
 */
import type { Client } from 'viem'
import { getBlockNumber } from 'viem/actions'
import { type Deposit, type DepositTransaction, depositTransaction } from '../protocol/bridge/deposit.ts'
import { depositsForOrigin, maxL1Origin } from '../protocol/bridge/l1-origin.ts'
import { type PortalRef, readDeposits } from '../protocol/bridge/portal.ts'

/** Where the sequencer's L1 facts come from (tests give their own). */
export type L1DepositSource = {
  /** The L1 head now. */
  latestL1Block(): Promise<bigint>
  /** The inbox's deposits in L1 blocks (after, upTo], in log order. */
  deposits(after: bigint, upTo: bigint): Promise<Deposit[]>
}

/** The portal's deposits of one inbox over an L1 client (Node and the extension's Worker alike). */
export function portalDepositSource(client: Client, ref: PortalRef): L1DepositSource {
  return {
    latestL1Block: () => getBlockNumber(client, { cacheTime: 0 }),
    deposits: (after, upTo) => readDeposits(client, { ...ref, after, upTo }),
  }
}

/**
 * A source for a node that starts before its chain's inbox exists (the wallet's embedded chain): until
 * `attach`, L1 stays at block 0, so every block sealed carries origin 0 and moves past no deposit (the
 * switch-over rule, SPEC.md §10.2); once attached, the next block moves its origin to the confirmed L1 head.
 */
export function deferredDepositSource(): L1DepositSource & { attach(source: L1DepositSource): void } {
  let attached: L1DepositSource | undefined
  return {
    attach(source) {
      attached = source
    },
    latestL1Block: () => (attached ? attached.latestL1Block() : Promise.resolve(0n)),
    deposits: (after, upTo) => (attached ? attached.deposits(after, upTo) : Promise.resolve([])),
  }
}

export class DepositFeed {
  /** Deposits read so far and not yet placed, in L1 log order. */
  private pending: Deposit[] = []
  /** L1 blocks up to here are read. */
  private readUpTo: bigint
  private refreshing: Promise<void> | undefined

  constructor(
    private readonly source: L1DepositSource,
    /** The chain head's origin (0 for a chain whose blocks have none yet: the genesis counts as origin 0). */
    headOrigin: bigint,
  ) {
    this.readUpTo = headOrigin
  }

  /** Reads the deposits of the L1 blocks confirmed since the last call (one at a time). */
  refresh(): Promise<void> {
    this.refreshing ??= this.read().finally(() => {
      this.refreshing = undefined
    })
    return this.refreshing
  }

  private async read() {
    const target = maxL1Origin(await this.source.latestL1Block())
    if (target <= this.readUpTo) return
    const deposits = await this.source.deposits(this.readUpTo, target)
    this.pending.push(...deposits)
    this.readUpTo = target
  }

  /**
   * The origin of a block whose parent's origin is `current`, and the deposits it begins with: the
   * newest L1 block read, and every deposit up to it. Catching up in one step keeps the first origin
   * of the next batch recent (rule 4 of SPEC.md §10.2) even after an outage; the deposits of one
   * L1 block are bounded by the portal, not by the L2 block's gas limit.
   */
  nextOrigin(current: bigint): { origin: bigint; deposits: DepositTransaction[] } {
    if (this.readUpTo <= current) return { origin: current, deposits: [] }
    const included = depositsForOrigin(this.pending, current, this.readUpTo)
    this.pending = []
    return { origin: this.readUpTo, deposits: included.map(depositTransaction) }
  }
}
