/**
 * RollupService for the background: the rollup node lives in a Web Worker inside the offscreen
 * document (service workers cannot start Workers); this makes sure that document exists and
 * forwards JSON-RPC to it through the messenger.
 */
import { type Address, formatEther, type Hex } from 'viem'
import { ErrorCode, ProviderRpcError } from '../core/errors.ts'
import { isTransientRuntimeError, runtimeClient } from '../core/messenger.ts'
import type { OffscreenProtocol } from '../core/protocol.ts'
import type { RollupService, RollupStatus } from '../core/services.ts'
import { l1Client } from './clients.ts'

/** rollup-lite's `rollup_status` answer (quantities hex-encoded). */
type NodeStatus = {
  chainId: Hex
  head: { number: Hex; hash: Hex }
  persistedHead: Hex
  pendingCount: number
  openBlock: { txCount: number }
  lastBatch: { l1TxHash: string | null; l2BlockEnd: Hex | null; cid: string | null }
}

async function l1Balance(address: Address): Promise<string | undefined> {
  try {
    return formatEther(await (await l1Client()).getBalance({ address }))
  } catch {
    return undefined // L1 not reachable: the status still shows the rollup
  }
}

const OFFSCREEN_URL = 'offscreen.html'
const toOffscreen = runtimeClient<OffscreenProtocol>('offscreen')
let creating: Promise<void> | undefined
/** A JSON-RPC call straight to the new document (not through `ensureOffscreen`, which waits on the listeners). */
export type RollupCall = (method: string, params?: readonly unknown[]) => Promise<unknown>
const createdListeners: ((rollup: RollupCall) => Promise<void>)[] = []

/**
 * Runs when this worker (re)creates the offscreen document (a fresh rollup Worker, from IndexedDB),
 * before any other request reaches it: requests wait for `ensureOffscreen`, which waits for these.
 */
export function onOffscreenCreated(listener: (rollup: RollupCall) => Promise<void>) {
  createdListeners.push(listener)
}

const direct: RollupCall = (method, params = []) =>
  toOffscreen('rollup:request', { method, params }, { retries: 50, retryDelayMs: 100 })

export async function ensureOffscreen() {
  if (creating) return creating
  const url = chrome.runtime.getURL(OFFSCREEN_URL)
  const contexts = await chrome.runtime.getContexts({
    contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType],
    documentUrls: [url],
  })
  if (contexts.length > 0) return
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_URL,
      reasons: ['WORKERS' as chrome.offscreen.Reason],
      justification: 'Runs the embedded rollup node (a Web Worker over IndexedDB) while the browser runs.',
    })
    .then(() => Promise.all(createdListeners.map((listener) => listener(direct).catch(() => {}))))
    .then(() => {})
    .catch((error: Error) => {
      if (!/single offscreen/i.test(error.message)) throw error
    })
    .finally(() => {
      creating = undefined
    })
  await creating
}

const KEEPALIVE_ALARM = 'rollup-keepalive'

/**
 * Keeps the rollup's offscreen document open while the browser runs (so the Worker keeps
 * sequencing and batching): at start and install, and every 30 s (Chrome's shortest alarm period) in case it was closed.
 * Call synchronously at service-worker start, like every listener.
 */
export function keepRollupRunning(onTick?: () => Promise<void>) {
  chrome.runtime.onStartup.addListener(() => void ensureOffscreen())
  chrome.runtime.onInstalled.addListener(() => void ensureOffscreen())
  chrome.alarms.create(KEEPALIVE_ALARM, { periodInMinutes: 0.5 })
  chrome.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== KEEPALIVE_ALARM) return
    try {
      await ensureOffscreen()
      await onTick?.() // e.g. the batcher top-up check: piggybacks on this alarm rather than a timer of its own
    } catch (error) {
      console.warn('rollup keep-alive:', (error as Error).message) // the next alarm tries again
    }
  })
}

/** How long a request waits for a closed offscreen document to come back before it answers 4901. */
const REOPEN_DEADLINE_MS = 30_000

/**
 * Forwards one JSON-RPC request to the Worker. If the offscreen document is closed under it (by
 * Chrome, or mid-call), it reopens the document and re-sends (decision 0420): reads are harmless
 * to repeat and a signed raw tx can land only once (its nonce), so a re-send never doubles.
 */
async function request(method: string, params: readonly unknown[] = []) {
  const deadline = Date.now() + REOPEN_DEADLINE_MS
  for (;;) {
    await ensureOffscreen()
    try {
      return await toOffscreen('rollup:request', { method, params }, { retries: 20, retryDelayMs: 100 })
    } catch (error) {
      const gone = (error as { code?: number }).code === ErrorCode.disconnected || isTransientRuntimeError(error)
      if (!gone) throw error
      // The wallet is up but the rollup chain is not reachable: EIP-1193 "chain disconnected".
      if (Date.now() > deadline) {
        throw new ProviderRpcError(ErrorCode.chainDisconnected, 'The embedded rollup node is not answering.')
      }
    }
  }
}

export const rollupService: RollupService = {
  async chainId() {
    return Number(await request('eth_chainId'))
  },
  request,
  async status(): Promise<RollupStatus> {
    const s = (await request('rollup_status')) as NodeStatus
    const batching = await toOffscreen('rollup:batching', undefined, { retries: 50, retryDelayMs: 100 })
    const latest = batching.enabled ? batching.batches[0] : undefined
    const status: RollupStatus = {
      chainId: Number(s.chainId),
      head: Number(s.head.number),
      persistedHead: Number(s.persistedHead),
      pendingTxs: s.pendingCount + s.openBlock.txCount,
      lastBatch: s.lastBatch.l1TxHash
        ? {
            blobTxHash: s.lastBatch.l1TxHash as Hex,
            cid: s.lastBatch.cid ?? undefined,
            l2BlockEnd: s.lastBatch.l2BlockEnd === null ? undefined : Number(s.lastBatch.l2BlockEnd),
          }
        : undefined,
    }
    if (latest) {
      status.lastBatch = {
        index: latest.index,
        firstBlock: latest.firstBlock,
        l2BlockEnd: latest.lastBlock,
        blobTxHash: latest.blobTxHash ?? (s.lastBatch.l1TxHash as Hex),
        cid: latest.cid,
        at: latest.at,
      }
    }
    if (batching.enabled) {
      const balance = await l1Balance(batching.batcher)
      status.batching = {
        inbox: batching.inbox,
        batcher: batching.batcher,
        batcherBalanceEth: balance,
        batches: latest ? latest.index + 1 : 0,
        lastEvent: batching.lastEvent,
      }
    }
    return status
  },
}
