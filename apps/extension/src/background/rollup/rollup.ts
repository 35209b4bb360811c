/**
 * RollupService for the background: the rollup node lives in a Web Worker inside the offscreen
 * document (service workers cannot start Workers); this makes sure that document exists and
 * forwards JSON-RPC to it through the messenger.
 */
import { type Address, formatEther, type Hex } from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import { isTransientRuntimeError, send } from '../../core/messenger.ts'
import type { RollupService, RollupStatus } from '../../core/services.ts'
import { stored } from '../../core/storage.ts'
import type { RollupGenesisConfig } from '../../rollup/worker-api.ts'
import { l1Client } from '../account/clients.ts'

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

const OFFSCREEN_PATH = 'offscreen.html'
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

const direct: RollupCall = (method, params = []) => send('rollup:request', { method, params })

/**
 * The agent's rollup genesis (decision 0402): its own chain id; its rollup account and the devnet's dev
 * accounts funded only in a dev-flagged build. Elsewhere it funds nobody: the chain's first ETH arrives by
 * deposit through the portal (rollup-lite SPEC §10.1). Undefined until the wallet has an account.
 */
export async function rollupGenesisConfig(): Promise<RollupGenesisConfig | undefined> {
  const account = await stored.account.get()
  if (!account?.rollupAccount) return undefined
  const devFunded = (await getDevnetConfig()).rollup?.devFunded
  const network = await stored.activeNetwork.get()
  return {
    chainId: account.rollup.chainId,
    inbox: account.rollup.inbox,
    funded: devFunded ? [account.rollupAccount, ...devFunded] : [],
    network,
  }
}

/** The agent's rollup does not exist before its wallet does (its chain id comes from the account). */
export class NoRollupYetError extends ProviderRpcError {
  constructor() {
    super(ErrorCode.chainDisconnected, "The agent's rollup starts once its wallet is created.")
  }
}

/**
 * Opens the offscreen document that runs the agent's rollup, if it is not open. The document reads
 * its genesis from its URL (it has no chrome.storage), so a document started for another genesis
 * (a wallet created anew in this profile) is replaced.
 */
export async function ensureOffscreen() {
  if (creating) return creating
  const genesis = await rollupGenesisConfig()
  if (!genesis) throw new NoRollupYetError()
  const genesisParam = JSON.stringify(genesis)
  const contexts = await chrome.runtime.getContexts({
    contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType],
  })
  if (contexts.some((c) => new URL(c.documentUrl ?? '').searchParams.get('genesis') === genesisParam)) return
  creating ??= (async () => {
    if (contexts.length > 0) await chrome.offscreen.closeDocument()
    await chrome.offscreen.createDocument({
      url: `${OFFSCREEN_PATH}?${new URLSearchParams({ genesis: genesisParam })}`,
      reasons: ['WORKERS' as chrome.offscreen.Reason],
      justification: 'Runs the embedded rollup node (a Web Worker over IndexedDB) while the browser runs.',
    })
    await Promise.all(createdListeners.map((listener) => listener(direct).catch(() => {})))
  })()
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
  const start = () => void ensureOffscreen().catch(() => {}) // no wallet yet: it starts at creation
  chrome.runtime.onStartup.addListener(start)
  chrome.runtime.onInstalled.addListener(start)
  chrome.alarms.create(KEEPALIVE_ALARM, { periodInMinutes: 0.5 })
  chrome.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== KEEPALIVE_ALARM) return
    try {
      if (!(await rollupGenesisConfig())) return // no wallet yet, so no rollup to keep running
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
      return await send('rollup:request', { method, params })
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
    const batching = await send('rollup:batching', undefined)
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
