/**
 * The output watcher (issue 15): follows every batch posted on an inbox, re-derives it, and challenges an
 * output root it cannot reproduce, within the window, with the chain's bond (challenge-mismatch.ts). It
 * follows resolutions: when the guardians roll batches back (`BatchesRolledBack`), derivation restarts from
 * genesis on a fresh executor and continues with whatever is posted at those indexes next. The same
 * watcher serves `rollup-lite verify --watch`, replicas and the wallet: sending is the caller's (`send`).
 */
import type { Hex, PublicClient } from 'viem'
import { getBlockNumber } from 'viem/actions'
import { BatchInvalidError } from '../../protocol/errors.ts'
import { applyInboxChanges, type PostedBatch, readInboxChanges } from '../../protocol/inbox.ts'
import { type DeriveOptions, deriveChain } from '../derive.ts'
import type { DerivationExecutor } from '../replay.ts'
import { challengeMismatch, dataWithheldTooLong, type Mismatch, type SendL1Call } from './challenge-mismatch.ts'
import type { OutputsValidator } from './validation.ts'
import type { CheckedBatch, OutputVerdict } from './verdict.ts'

export type OutputWatcherOptions = Omit<DeriveOptions, 'executor' | 'batches' | 'onProgress' | 'fromL1Block'> & {
  l1: PublicClient
  /** A fresh executor at genesis: the first one, and another after each rollback into derived batches. */
  createExecutor: () => Promise<DerivationExecutor>
  /** Sends the challenge (value: the bond); without it mismatches are reported, not challenged. */
  send?: SendL1Call
  /** Answers ERC-8004 validation requests naming this verifier (validation.ts). */
  validator?: OutputsValidator
  onVerdict: (verdict: OutputVerdict) => void
  /**
   * Continue where a previous watcher's `checkpoint()` stood, `executor` holding that checkpoint's derived head
   * (persisted with it): a restarted watcher neither re-derives from genesis nor skips a batch posted meanwhile
   * (L1 is read again from `scannedTo + 1`). An executor at another head is dropped for a fresh one.
   */
  resume?: { checkpoint: OutputWatchCheckpoint; executor: DerivationExecutor }
}

/** Everything a watcher knows besides its executor's state: what `resume` takes back. */
export type OutputWatchCheckpoint = {
  scannedTo: bigint
  batches: PostedBatch[]
  /** Batches the executor has executed completely. */
  derived: number
  stuck: boolean
  checked: [bigint, CheckedBatch][]
  unsettled: Mismatch[]
}

export type OutputWatcher = {
  /** Reads the inbox changes since the last poll, derives the new batches, acts on mismatches. */
  poll(): Promise<void>
  /** The verdict on batch `index` as posted now, if derived. */
  checked(index: bigint): CheckedBatch | undefined
  /** Where the watcher stands between polls (with its executor's head), for `resume`. */
  checkpoint(): OutputWatchCheckpoint
}

export function createOutputWatcher(o: OutputWatcherOptions): OutputWatcher {
  let batches: PostedBatch[] = []
  let scannedTo = -1n
  let executor: DerivationExecutor | undefined
  /** Batches the executor has executed completely (its head is the last block of batch `derived − 1`). */
  let derived = 0
  /** A batch whose blocks do not execute left the executor mid-batch: nothing after it derives until a rollback. */
  let stuck = false
  const checked = new Map<bigint, CheckedBatch>()
  /** Mismatches not yet acted on: a failed send is retried on the next poll, never forgotten. */
  let unsettled: Mismatch[] = []
  const unavailable = new Set<Hex>()
  if (o.resume) {
    const c = o.resume.checkpoint
    ;({ scannedTo, batches, derived, stuck } = c)
    for (const [index, verdict] of c.checked) checked.set(index, verdict)
    unsettled = [...c.unsettled]
    executor = o.resume.executor
    // The executor must stand at the last block of batch `derived − 1` (genesis before any), else derivation
    // starts afresh; a stuck watcher derives nothing more until a rollback, which starts afresh anyway.
    const expected = derived === 0 ? executor.genesis.number : batches[derived - 1]?.lastBlock
    if (!stuck && executor.head().number !== expected) startOver()
  }

  function startOver() {
    executor = undefined
    derived = 0
    stuck = false
  }

  async function readChanges(): Promise<void> {
    const latest = await getBlockNumber(o.l1, { cacheTime: 0 })
    if (latest <= scannedTo) return
    const changes = await readInboxChanges(o.l1, o.inbox, { fromBlock: scannedTo + 1n, toBlock: latest })
    let next: PostedBatch[]
    try {
      next = applyInboxChanges(batches, changes)
    } catch (e) {
      if (!(e instanceof BatchInvalidError) || scannedTo < 0n) throw e
      // New events that do not continue what was read: an L1 reorg replaced earlier ones. Read it all again.
      scannedTo = -1n
      batches = []
      startOver()
      return readChanges()
    }
    for (const c of changes) {
      if (c.type !== 'rolled-back') continue
      o.onVerdict({ verdict: 'rolled-back', index: c.index, previousCount: c.previousCount })
      for (const index of [...checked.keys()]) if (index >= c.index) checked.delete(index)
      // The executor holds blocks of dropped batches: start over (the kept batches re-derive identically).
      if (c.index < derived || stuck) startOver()
    }
    batches = next
    scannedTo = latest
  }

  async function deriveNew() {
    while (!stuck && derived < batches.length) {
      executor ??= await o.createExecutor()
      const result = await deriveChain({
        ...o,
        executor,
        batches: batches.slice(derived),
        onProgress: (e) => {
          if (e.type !== 'batch') return
          const batch = batches[Number(e.index)]!
          derived = Number(e.index) + 1
          if (checked.get(e.index)?.batchHash === batch.batchHash) return
          checked.set(e.index, { batchHash: batch.batchHash, ok: true })
          o.onVerdict({ verdict: 'ok', index: e.index, outputRoot: batch.outputRoot, l2Block: e.head.number })
        },
      })
      const d = result.divergence
      if (!d) return
      const batch = batches[Number(d.batchIndex)]!
      if (d.kind === 'data') {
        if (!unavailable.has(batch.batchHash))
          o.onVerdict({ verdict: 'unavailable', index: d.batchIndex, reason: d.reason })
        unavailable.add(batch.batchHash)
        // Retried on every poll (nothing of it executed); challenged once withheld for half its window.
        if (
          checked.get(batch.index)?.batchHash !== batch.batchHash &&
          (await dataWithheldTooLong(o.l1, o.inbox, batch))
        ) {
          unsettled.push({
            batch,
            reason: `no data matching its commitments for half the challenge window: ${d.reason}`,
          })
          await settleMismatches()
        }
        return
      }
      // An output-root mismatch leaves the executor at the batch's correct last block: later batches still derive.
      if (d.kind === 'output-root') derived = Number(d.batchIndex) + 1
      else stuck = true
      if (checked.get(batch.index)?.batchHash !== batch.batchHash) {
        unsettled.push({ batch, derived: d.kind === 'output-root' ? d.actual : undefined, reason: d.reason })
      }
      await settleMismatches()
    }
  }

  async function settleMismatches() {
    while (unsettled.length > 0) {
      const mismatch = unsettled[0]!
      const { batch } = mismatch
      // Dropped by a rollback since: nothing left to challenge.
      if (batches[Number(batch.index)]?.batchHash === batch.batchHash) {
        const verdict = await challengeMismatch(o.l1, { inbox: o.inbox, mismatch, send: o.send })
        if (verdict) {
          checked.set(batch.index, { batchHash: batch.batchHash, ok: false, derived: mismatch.derived })
          o.onVerdict(verdict)
        }
      }
      unsettled = unsettled.slice(1)
    }
  }

  return {
    async poll() {
      await readChanges()
      await settleMismatches()
      await deriveNew()
      if (o.validator) {
        for (const v of await o.validator.answer({ batches, checked: (i) => checked.get(i) })) o.onVerdict(v)
      }
    },
    checked: (index) => checked.get(index),
    checkpoint: () => ({ scannedTo, batches, derived, stuck, checked: [...checked], unsettled }),
  }
}

/**
 * Polls until `signal` aborts (`once`: a single poll). A failed poll (the L1 RPC, a send) is reported through
 * `onError` and retried on the next tick; after `maxFailedPolls` in a row the watcher gives up: a blip is
 * retried, an outage is not hidden, and the watcher's own failures never pass for verdicts.
 */
export async function watchOutputs(
  o: OutputWatcherOptions & {
    pollingInterval?: number
    signal?: AbortSignal
    once?: boolean
    maxFailedPolls?: number
    onError: (error: Error, failedInARow: number) => void
  },
): Promise<'stopped' | 'failed'> {
  const watcher = createOutputWatcher(o)
  let failed = 0
  while (!o.signal?.aborted) {
    try {
      await watcher.poll()
      failed = 0
    } catch (e) {
      o.onError(e as Error, ++failed)
      if (failed >= (o.maxFailedPolls ?? 5) || o.once) return 'failed'
    }
    if (o.once) break
    await sleep(o.pollingInterval ?? 4_000, o.signal)
  }
  return 'stopped'
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        resolve()
      },
      { once: true },
    )
  })
}
