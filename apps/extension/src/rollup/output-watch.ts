/**
 * The wallet watches its own outputs (issue #15): rollup-lite's output watcher (derive/challenger) re-derives
 * every batch posted on the agent's inbox from L1 blobs / IPFS, as any verifier would, deposits included, and
 * reports an output root it cannot reproduce — someone used the escape hatch with a forged batch. The Worker
 * cannot sign: it keeps the open mismatches in IndexedDB, and the background challenges them through the one
 * action pipeline (background/rollup/output-challenges.ts), the bond leaving the smart account under policy.
 * Derivation runs on a scratch executor from genesis at each Worker start (the chain is the agent's own, small).
 */
import {
  createOutputWatcher,
  createReplayExecutor,
  type Genesis,
  type KV,
  memoryKv,
  type OutputVerdict,
  type OutputWatcher,
} from '@seed/rollup-lite'
import { type Address, createPublicClient, http, type PublicClient } from 'viem'
import type { BatcherSetup, OutputMismatch, OwnOutputsState } from './worker-api.ts'

const LOG_KEY = 'extension/output-mismatches'
const KEEP = 50
const POLL_MS = 4_000

const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))
const decode = <T>(raw: Uint8Array | undefined): T | undefined =>
  raw ? (JSON.parse(new TextDecoder().decode(raw)) as T) : undefined

type WatchTarget = { l1: PublicClient; inbox: Address; ipfsUrl?: string; beaconUrl?: string }

/** The watcher over one inbox: `poll` reads and derives what is new, `onMismatch` hears each output it cannot reproduce. */
export function ownOutputWatcher(
  target: WatchTarget,
  genesis: Genesis,
  onMismatch: (mismatch: OutputMismatch) => Promise<void>,
): OutputWatcher {
  return createOutputWatcher({
    l1: target.l1,
    inbox: target.inbox,
    chainId: BigInt(genesis.chainId),
    beaconUrl: target.beaconUrl,
    ipfsUrl: target.ipfsUrl,
    // The chain is bridged from genesis (origin 0 until its feed starts): deposits are replayed from the portal.
    bridge: {},
    createExecutor: () => createReplayExecutor({ kv: memoryKv(), genesis, serving: false }),
    // No `send`: an open mismatch comes back as 'mismatch', and the background challenges it.
    onVerdict: (v: OutputVerdict) => {
      if (v.verdict !== 'mismatch') return
      void onMismatch({
        index: Number(v.index),
        outputRoot: v.outputRoot,
        ...(v.derived ? { derived: v.derived } : {}),
        reason: v.reason,
        at: Date.now(),
      })
    },
  })
}

export type WorkerOutputWatch = {
  /** Starts (or retargets) the watch of the inbox batching posts to. */
  follow(setup: BatcherSetup): void
  state(): Promise<OwnOutputsState>
}

export function startOutputWatch(kv: KV, genesis: Genesis): WorkerOutputWatch {
  let inbox: Address | undefined
  let watcher: OutputWatcher | undefined
  let lastError: string | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  // Read-modify-write of the log: one at a time.
  let logLock: Promise<unknown> = Promise.resolve()
  const remember = (m: OutputMismatch) => {
    logLock = logLock
      .then(async () => {
        const log = decode<OutputMismatch[]>(await kv.get(LOG_KEY)) ?? []
        if (log.some((o) => o.index === m.index && o.outputRoot === m.outputRoot)) return
        await kv.batch([{ type: 'put', key: LOG_KEY, value: encode([m, ...log].slice(0, KEEP)) }])
      })
      .catch(() => {})
    return logLock.then(() => {})
  }

  async function loop() {
    try {
      await watcher?.poll()
      lastError = undefined
    } catch (error) {
      lastError = (error as Error).message // an L1 or IPFS blip: the next poll retries
    }
    timer = setTimeout(loop, POLL_MS)
  }

  return {
    follow(setup) {
      if (inbox === setup.inbox) return
      inbox = setup.inbox
      const l1 = createPublicClient({ transport: http(setup.l1RpcUrl) })
      watcher = ownOutputWatcher({ l1, inbox, ipfsUrl: setup.ipfsUrl, beaconUrl: setup.beaconUrl }, genesis, remember)
      if (!timer) timer = setTimeout(loop, 0)
    },
    async state() {
      return {
        watching: inbox ?? null,
        mismatches: decode<OutputMismatch[]>(await kv.get(LOG_KEY)) ?? [],
        ...(lastError ? { lastError } : {}),
      }
    },
  }
}
