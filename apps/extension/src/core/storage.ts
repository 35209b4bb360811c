/**
 * Typed storage: every key the background keeps, defined once below (`stored`) with its area, key,
 * type and default, over a storage-area seam: chrome.storage in the extension, memory in unit tests
 * (`useStorageAreas`). Nothing the wallet needs lives only in service-worker memory: `local`
 * survives restarts, `session` is memory-only (cleared when the browser quits) and is restricted to
 * trusted extension contexts, so content scripts can never read the unlocked key.
 *
 * Keys and shapes are exactly those earlier versions wrote, so existing wallets keep working.
 * @seed/aa's vault and action pipeline own their keys; they get the area through `keyValueStorage`.
 *
 * Per-network items (decision 0430) live under `net:<network id>:<key>`, except the devnet's, which
 * keep the unprefixed keys earlier versions wrote: today's single-network data is the devnet's as it
 * stands, with nothing to copy.
 */
import type { KeyValueStorage } from '@seed/aa'
import type { Hex } from 'viem'
import type { PendingRequest, PolicySettings } from './protocol.ts'
import type {
  AccountRecord,
  ActivityItem,
  BatchingSetupJournal,
  BountyEpochApproval,
  BountyOpJournal,
  CallsBundle,
  GrantRecord,
  NetworkSettings,
  OpenBountyIndex,
  OutputChallengeJournal,
  Pairing,
  PairingOffer,
  Permission,
  PostedBounty,
  RawL2Send,
  ReplicaRecord,
  SeedDeploymentJournal,
  SiteChains,
  TopUpCheck,
  TopUpJournal,
  VoucherJournalEntry,
  WithdrawalRecord,
} from './records.ts'

export type * from './records.ts'

export type AreaName = 'local' | 'session'

/** What the wallet needs of a storage area: chrome.storage.local/session, or memory in unit tests. */
export interface StorageArea {
  /** The stored values of `key` (absent when unset), or of every key for `null`. */
  get(key: string | null): Promise<Record<string, unknown>>
  set(items: Record<string, unknown>): Promise<void>
  remove(keys: string | string[]): Promise<void>
  /** Calls `listener` with this area's changed keys; returns the unsubscribe. */
  watch(listener: (changes: Record<string, { newValue?: unknown }>) => void): () => void
}

function chromeArea(name: AreaName): StorageArea {
  return {
    get: (key) => chrome.storage[name].get(key),
    set: (items) => chrome.storage[name].set(items),
    remove: (keys) => chrome.storage[name].remove(keys),
    watch(listener) {
      const onChanged = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
        if (area === name) listener(changes)
      }
      chrome.storage.onChanged.addListener(onChanged)
      return () => chrome.storage.onChanged.removeListener(onChanged)
    },
  }
}

/**
 * An in-memory area with chrome.storage's semantics: values are stored as JSON (a copy, never a
 * reference; a bigint throws as it does in Chrome) and listeners hear of changes asynchronously.
 */
export function memoryArea(): StorageArea {
  const data = new Map<string, string>()
  const listeners = new Set<(changes: Record<string, { newValue?: unknown }>) => void>()
  const notify = (changes: Record<string, { newValue?: unknown }>) =>
    queueMicrotask(() => {
      for (const listener of listeners) listener(changes)
    })
  const parse = (json: string) => JSON.parse(json) as unknown
  return {
    async get(key) {
      const entries = key === null ? [...data] : data.has(key) ? [[key, data.get(key)!] as const] : []
      return Object.fromEntries(entries.map(([k, json]) => [k, parse(json)]))
    },
    async set(items) {
      const changes: Record<string, { newValue?: unknown }> = {}
      for (const [k, value] of Object.entries(items)) {
        const json = JSON.stringify(value)
        data.set(k, json)
        changes[k] = { newValue: parse(json) }
      }
      notify(changes)
    },
    async remove(keys) {
      const changes: Record<string, { newValue?: unknown }> = {}
      for (const k of [keys].flat()) if (data.delete(k)) changes[k] = {}
      if (Object.keys(changes).length) notify(changes)
    },
    watch(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/**
 * A read cache in front of an area, for the one context that writes it (the service worker: pages
 * and the offscreen document reach storage only through it). A pipeline action re-reads the same
 * keys many times (the account, the network, the policy, the pairing), each a round trip to the
 * browser's storage; here a key read once is answered from memory until it changes. Writes go
 * through to the area first-hand, so what survives a restart is only ever the area's; the cache
 * dies with the worker. Every change the area reports (this context's own writes included, and a
 * test's write from a page) drops the key, so the next read asks the area again; a read that was
 * in flight across a write does not fill the cache.
 */
export function cachedArea(inner: StorageArea): StorageArea {
  const cache = new Map<string, string | undefined>()
  const versions = new Map<string, number>()
  const bump = (key: string) => {
    versions.set(key, (versions.get(key) ?? 0) + 1)
    cache.delete(key)
  }
  inner.watch((changes) => {
    for (const key of Object.keys(changes)) bump(key)
  })
  return {
    async get(key) {
      if (key === null) return inner.get(null)
      if (cache.has(key)) {
        const json = cache.get(key)
        return json === undefined ? {} : { [key]: JSON.parse(json) }
      }
      const version = versions.get(key) ?? 0
      const read = await inner.get(key)
      if ((versions.get(key) ?? 0) === version) {
        cache.set(key, key in read ? JSON.stringify(read[key]) : undefined)
      }
      return read
    },
    async set(items) {
      for (const key of Object.keys(items)) bump(key)
      await inner.set(items)
    },
    async remove(keys) {
      for (const key of [keys].flat()) bump(key)
      await inner.remove(keys)
    },
    watch: (listener) => inner.watch(listener),
  }
}

let areas: Record<AreaName, StorageArea> | undefined
function areaOf(name: AreaName) {
  areas ??= { local: cachedArea(chromeArea('local')), session: cachedArea(chromeArea('session')) }
  return areas[name]
}

/** Puts other areas behind every item (unit tests: fresh memory areas per test). */
export function useStorageAreas(replacement: Record<AreaName, StorageArea>) {
  areas = replacement
}

export type StorageItem<T> = {
  readonly area: AreaName
  readonly key: string
  get(): Promise<T>
  set(value: NonNullable<T>): Promise<void>
  remove(): Promise<void>
}

/** One key in one area; `fallback` makes a fresh default for an unset key (callers may mutate it). */
export function defineItem<T>(area: AreaName, key: string): StorageItem<T | undefined>
export function defineItem<T>(area: AreaName, key: string, fallback: () => T): StorageItem<T>
export function defineItem<T>(area: AreaName, key: string, fallback?: () => T): StorageItem<T | undefined> {
  return {
    area,
    key,
    async get() {
      const stored = (await areaOf(area).get(key))[key] as T | undefined
      return stored === undefined ? fallback?.() : stored
    },
    set: (value) => areaOf(area).set({ [key]: value }),
    remove: () => areaOf(area).remove(key),
  }
}

/** Records keyed `<prefix><id>`, one per request or bundle. */
export function defineItemFamily<T>(area: AreaName, prefix: string) {
  return {
    item: (id: string) => defineItem<T>(area, `${prefix}${id}`),
    async all(): Promise<T[]> {
      const stored = await areaOf(area).get(null)
      return Object.entries(stored)
        .filter(([k]) => k.startsWith(prefix))
        .map(([, value]) => value as T)
    },
    removeMany: (ids: string[]) => areaOf(area).remove(ids.map((id) => `${prefix}${id}`)),
    /** Calls `listener` with the record's new value (undefined once removed) whenever it changes. */
    watch(id: string, listener: (value: T | undefined) => void) {
      const key = `${prefix}${id}`
      return areaOf(area).watch((changes) => {
        if (changes[key]) listener(changes[key].newValue as T | undefined)
      })
    },
  }
}

/** The network whose keys need no prefix: the one every wallet had before networks existed. */
export const DEVNET_NETWORK = 'devnet'

/** Which network the per-network items read and write now (decision 0430). */
export const activeNetworkItem = defineItem<string>('local', 'activeNetwork', () => DEVNET_NETWORK)

/** Where a per-network key of `network` lives. */
export const networkKey = (network: string, key: string) => (network === DEVNET_NETWORK ? key : `net:${network}:${key}`)

/** An item whose key is resolved per call against the active network (a switch needs no restart). */
function definePerNetwork<T>(area: AreaName, key: string): StorageItem<T | undefined>
function definePerNetwork<T>(area: AreaName, key: string, fallback: () => T): StorageItem<T>
function definePerNetwork<T>(area: AreaName, key: string, fallback?: () => T): StorageItem<T | undefined> {
  const current = async () => defineItem<T>(area, networkKey(await activeNetworkItem.get(), key), fallback as () => T)
  return {
    area,
    key,
    get: async () => (await current()).get(),
    set: async (value) => (await current()).set(value),
    remove: async () => (await current()).remove(),
  }
}

/** `defineItemFamily` under the active network. */
function definePerNetworkFamily<T>(area: AreaName, prefix: string) {
  const current = async () => defineItemFamily<T>(area, networkKey(await activeNetworkItem.get(), prefix))
  return {
    item: (id: string) => definePerNetwork<T>(area, `${prefix}${id}`),
    all: async () => (await current()).all(),
    removeMany: async (ids: string[]) => (await current()).removeMany(ids),
  }
}

/** aa's storage seam over an area (aa's vault and action pipeline name their own keys). */
export function keyValueStorage(area: AreaName): KeyValueStorage {
  return {
    async get<T>(key: string) {
      return (await areaOf(area).get(key))[key] as T | undefined
    },
    set: (key, value) => areaOf(area).set({ [key]: value }),
    delete: (key) => areaOf(area).remove(key),
  }
}

/** Every key the background keeps (besides aa's own, see `keyValueStorage`). */
export const stored = {
  /** The owner key's vault is the wallet's one secret (aa's keys); the account it has on each network is per network. */
  account: definePerNetwork<AccountRecord>('local', 'account'),
  permissions: definePerNetwork<Record<string, Permission[]>>('local', 'permissions', () => ({})),
  /** Selected chain per origin (hex chain id). */
  chains: definePerNetwork<Record<string, Hex>>('local', 'chains', () => ({})),
  activity: definePerNetwork<ActivityItem[]>('local', 'activity', () => []),
  settings: defineItem<{ autoLockMinutes: number }>('local', 'settings'),
  /** Per origin: the chains the user approved for it and those it added (see provider/chains.ts). */
  siteChains: definePerNetwork<Record<string, SiteChains>>('local', 'siteChains', () => ({})),
  /** Raw rollup txs each origin passed through, kept for a re-send (see provider/l2-resend.ts). */
  rawL2Sends: definePerNetwork<Record<string, RawL2Send[]>>('local', 'rawL2Sends', () => ({})),
  /** The user's guardrail settings (as saved: older versions may lack newer fields). */
  policy: defineItem<Partial<PolicySettings>>('local', 'policy'),
  /** The networks the user saved (presets edited, custom ones), by id; see background/networks/. */
  networks: defineItem<Record<string, NetworkSettings>>('local', 'networks', () => ({})),
  activeNetwork: activeNetworkItem,
  batchingSetup: definePerNetwork<BatchingSetupJournal>('local', 'batchingSetup'),
  batcherTopUp: definePerNetwork<TopUpJournal>('local', 'batcherTopUp'),
  outputChallenge: definePerNetwork<OutputChallengeJournal>('local', 'outputChallenge'),
  batcherTopUpCheck: definePerNetwork<TopUpCheck>('local', 'batcherTopUpCheck'),
  /** Replicas of the agent's chain and their last probe (background/rollup/replicas.ts). */
  replicas: definePerNetwork<ReplicaRecord[]>('local', 'replicas', () => []),
  /** The bounties this wallet posted, by id, with their slots' probe history (background/bounties/). */
  bounties: definePerNetwork<Record<string, PostedBounty>>('local', 'bounties', () => ({})),
  /** Each slot's journaled cumulative epoch voucher (background/bounties/voucher-journal.ts). */
  bountyVouchers: definePerNetwork<Record<string, VoucherJournalEntry>>('local', 'bountyVouchers', () => ({})),
  /** Each slot's epoch payment asked of the person, by slot key (background/bounties/epoch-approval.ts). */
  bountyEpochApprovals: definePerNetwork<Record<string, BountyEpochApproval>>(
    'local',
    'bountyEpochApprovals',
    () => ({}),
  ),
  /** The escrow's open bounties as the Agents screen last scanned them (background/bounties/open-bounties.ts). */
  openBounties: definePerNetwork<OpenBountyIndex>('local', 'openBounties'),
  /** The bounty payer's feedback op in flight, journaled before it is sent. */
  bountyOp: definePerNetwork<BountyOpJournal>('local', 'bountyOp'),
  callsBundles: definePerNetworkFamily<CallsBundle>('local', 'calls:'),
  /** The Seed deployment in flight on the active network (decision 0431), journaled before anything is sent. */
  seedDeployment: definePerNetwork<SeedDeploymentJournal>('local', 'seedDeployment'),
  /** ERC-7715 grants by permission context (see background/grants/); each names its network's account. */
  grants: definePerNetworkFamily<GrantRecord>('local', 'grant:'),
  /** The rollup account's withdrawals by hash (background/bridge/), rebuilt from the rollup's logs if one is missing. */
  withdrawals: definePerNetworkFamily<WithdrawalRecord>('local', 'withdrawal:'),
  /** The next rollup block the withdrawal scan reads (everything before it is in `withdrawals`). */
  withdrawalScan: definePerNetwork<{ nextBlock: number }>('local', 'withdrawalScan'),
  /** The unlocked owner key; memory-only, trusted contexts only. */
  unlocked: defineItem<{ privateKey: Hex; lastActiveAt: number }>('session', 'unlocked'),
  /** Chains whose RPC the wallet found unreachable (chain id → since when, and the RPC to probe); see provider/connectivity.ts. */
  chainsDown: defineItem<Record<string, { since: number; rpcUrl?: string }>>('session', 'chainsDown', () => ({})),
  /** Requests waiting for (or past) the user's decision, by the page's request id (see approvals/). */
  requests: defineItemFamily<PendingRequest>('session', 'request:'),
  /** Paired external agents by id, revoked ones included (their next call is refused); see background/agent/. */
  pairings: defineItem<Record<string, Pairing>>('local', 'pairings', () => ({})),
  /** Pairing offers by id: each is decided once, its code never accepted again. */
  pairingOffers: defineItem<Record<string, PairingOffer>>('local', 'pairingOffers', () => ({})),
  /** Lines agents and scripts logged (newest 200), for the popup. */
  agentLog: defineItem<{ at: number; by: string; level: string; message: string }[]>('local', 'agentLog', () => []),
  /** Service-worker starts (diagnostics: the e2e suite checks a killed worker came back). */
  swBoots: defineItem<number>('session', 'swBoots', () => 0),
}
