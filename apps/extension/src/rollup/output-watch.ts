/**
 * The wallet watches its own outputs (issue #15): rollup-lite's output watcher (derive/challenger) re-derives
 * every batch posted on the agent's inbox from L1 blobs / IPFS, as any verifier would, deposits included, and
 * reports an output root it cannot reproduce — someone used the escape hatch with a forged batch. The Worker
 * cannot sign: it keeps the open mismatches in IndexedDB, and the background challenges them through the one
 * action pipeline (background/rollup/output-challenges.ts), the bond leaving the smart account under policy.
 * The watch resumes (watch-checkpoint.ts): a Worker start derives only what was posted since the last poll it
 * committed, never from genesis again (decision 0702).
 */
import {
  createOutputWatcher,
  createReplayExecutor,
  type DerivationExecutor,
  type Genesis,
  type KV,
  type OutputVerdict,
  type OutputWatcher,
} from '@seed/rollup-lite'
import { type Address, createPublicClient, http, type PublicClient } from 'viem'
import { executorPrefix, loadWatch, saveWatchOp, stagedKv } from './watch-checkpoint.ts'
import type { BatcherSetup, OutputMismatch, OwnOutputsState } from './worker-api.ts'

const LOG_KEY = 'extension/output-mismatches'
const KEEP = 50
const POLL_MS = 4_000

const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))
const decode = <T>(raw: Uint8Array | undefined): T | undefined =>
  raw ? (JSON.parse(new TextDecoder().decode(raw)) as T) : undefined

type WatchTarget = { l1: PublicClient; inbox: Address; ipfsUrl?: string; beaconUrl?: string }

export type OwnOutputWatcher = OutputWatcher & {
  /** Commits the executor's new state and the watcher's checkpoint in one transaction (after each poll). */
  save(): Promise<void>
}

/**
 * The watcher over one inbox, resumed from what `kv` holds for it: `poll` reads and derives what is new, `save`
 * persists it, `onVerdict` hears every verdict (a mismatch is an output it cannot reproduce).
 */
export async function ownOutputWatcher(
  kv: KV,
  target: WatchTarget,
  genesis: Genesis,
  onVerdict: (verdict: OutputVerdict) => void,
): Promise<OwnOutputWatcher> {
  const saved = await loadWatch(kv, target.inbox)
  let generation = saved?.generation ?? 0
  let staged = stagedKv(kv, executorPrefix(target.inbox, generation))
  let opened = false
  // A serving executor: it persists its head and the blocks BLOCKHASH reads, so it reopens where it stood.
  const openExecutor = (): Promise<DerivationExecutor> => {
    opened = true
    return createReplayExecutor({ kv: staged.kv, genesis, serving: true })
  }
  const resume = saved && { checkpoint: saved.checkpoint, executor: await openExecutor() }
  let lastSaved: string | undefined
  const watcher = createOutputWatcher({
    l1: target.l1,
    inbox: target.inbox,
    chainId: BigInt(genesis.chainId),
    beaconUrl: target.beaconUrl,
    ipfsUrl: target.ipfsUrl,
    // The chain is bridged from genesis (origin 0 until its feed starts): deposits are replayed from the portal.
    bridge: {},
    resume,
    // A fresh executor at genesis: the first one, or after a rollback into derived batches under a new generation.
    createExecutor: () => {
      if (opened) staged = stagedKv(kv, executorPrefix(target.inbox, ++generation))
      return openExecutor()
    },
    // No `send`: an open mismatch comes back as 'mismatch', and the background challenges it.
    onVerdict,
  })
  return {
    ...watcher,
    async save() {
      const ops = staged.pending()
      const { op, text } = saveWatchOp(target.inbox, { generation, checkpoint: watcher.checkpoint() })
      if (ops.length === 0 && text === lastSaved) return
      await kv.batch([...ops, op])
      staged.committed(ops)
      lastSaved = text
    },
  }
}

export type WorkerOutputWatch = {
  /** Starts (or retargets) the watch of the inbox batching posts to. */
  follow(setup: BatcherSetup): void
  state(): Promise<OwnOutputsState>
}

export function startOutputWatch(kv: KV, genesis: Genesis): WorkerOutputWatch {
  let target: { inbox: Address; open: () => Promise<OwnOutputWatcher> } | undefined
  let current: { inbox: Address; watcher: OwnOutputWatcher } | undefined
  let lastError: string | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  // Read-modify-write of the log: one at a time. A failed write is kept to fail the poll that found it.
  let logLock: Promise<unknown> = Promise.resolve()
  let logError: Error | undefined
  const remember = (m: OutputMismatch) => {
    logLock = logLock
      .then(async () => {
        const log = decode<OutputMismatch[]>(await kv.get(LOG_KEY)) ?? []
        if (log.some((o) => o.index === m.index && o.outputRoot === m.outputRoot)) return
        await kv.batch([{ type: 'put', key: LOG_KEY, value: encode([m, ...log].slice(0, KEEP)) }])
      })
      .catch((error: Error) => {
        logError ??= error
      })
  }
  const onVerdict = (v: OutputVerdict) => {
    if (v.verdict !== 'mismatch') return
    remember({
      index: Number(v.index),
      outputRoot: v.outputRoot,
      ...(v.derived ? { derived: v.derived } : {}),
      reason: v.reason,
      at: Date.now(),
    })
  }

  async function loop() {
    try {
      if (target && current?.inbox !== target.inbox) current = { inbox: target.inbox, watcher: await target.open() }
      await current?.watcher.poll()
      // The mismatches it found are logged before the checkpoint says they were checked; if one could not be,
      // the watcher is dropped unsaved: the next one resumes from the last commit and finds it again.
      await logLock
      if (logError) {
        const error = logError
        logError = undefined
        current = undefined
        throw error
      }
      await current?.watcher.save()
      lastError = undefined
    } catch (error) {
      lastError = (error as Error).message // an L1 or IPFS blip: the next poll retries
    }
    timer = setTimeout(loop, POLL_MS)
  }

  return {
    follow(setup) {
      if (target?.inbox === setup.inbox) return
      const inbox = setup.inbox
      const l1 = createPublicClient({ transport: http(setup.l1RpcUrl) })
      const where = { l1, inbox, ipfsUrl: setup.ipfsUrl, beaconUrl: setup.beaconUrl }
      target = { inbox, open: () => ownOutputWatcher(kv, where, genesis, onVerdict) }
      if (!timer) timer = setTimeout(loop, 0)
    },
    async state() {
      const checked = current?.inbox === target?.inbox ? current?.watcher.checkpoint().checked : undefined
      const indexes = checked?.map(([index]) => Number(index)) ?? []
      return {
        watching: target?.inbox ?? null,
        mismatches: decode<OutputMismatch[]>(await kv.get(LOG_KEY)) ?? [],
        ...(indexes.length > 0 ? { checkedThrough: Math.max(...indexes) } : {}),
        ...(lastError ? { lastError } : {}),
      }
    },
  }
}
