/**
 * The wallet's replicas of the agent's chain (issue 17): the agent adds them by URL (and the libp2p
 * multiaddr they listen on, which the Worker dials to gossip its unsafe blocks to them); the wallet
 * probes each against the embedded node every keep-alive tick and when the Rollup screen asks, and
 * routes dApp reads to a healthy one while the node is busy (route-read.ts).
 */

import { invalidParams } from '../../core/errors.ts'
import { send } from '../../core/messenger.ts'
import { type ReplicaRecord, type ReplicasView, stored } from '../../core/storage.ts'
import type { GossipState } from '../../rollup/block-gossip.ts'
import { probeReplica } from './probe-replica.ts'
import { replicaRequest } from './replica-rpc.ts'
import { type RollupCall, rollupService } from './rollup.ts'
import { routeRead } from './route-read.ts'

const MAX_REPLICAS = 16
/** The Rollup screen polls every 2 s; a replica is asked at most this often. */
const MIN_PROBE_INTERVAL_MS = 5_000

let lastProbe = 0
let localPending: { count: number; at: number } | undefined
let routed = 0
let lastRouted: ReplicasView['lastRouted']

/** Only http(s) JSON-RPC; the multiaddr is checked by libp2p where it is dialled. */
function parseReplica(params: { url?: unknown; p2p?: unknown }): { url: string; p2p?: string } {
  let url: URL
  try {
    url = new URL(String(params.url))
  } catch {
    throw invalidParams('A replica needs its JSON-RPC URL (http:// or https://).')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalidParams('A replica URL is http:// or https://.')
  const p2p = typeof params.p2p === 'string' && params.p2p.trim() ? params.p2p.trim() : undefined
  if (p2p && (!p2p.startsWith('/') || p2p.length > 512)) throw invalidParams('A libp2p multiaddr starts with "/".')
  return { url: url.toString().replace(/\/$/, ''), ...(p2p ? { p2p } : {}) }
}

/** The multiaddrs the Worker dials (and the registration file names as bootstrap peers). */
export async function replicaPeers(): Promise<string[]> {
  return (await stored.replicas.get()).flatMap((r) => (r.p2p ? [r.p2p] : []))
}

/** Tells the Worker whom to gossip to: on every change and whenever its document is (re)created. */
export async function pushGossipPeers(): Promise<GossipState> {
  return send('rollup:gossipPeers', { peers: await replicaPeers() })
}

export async function addReplica(params: { url?: unknown; p2p?: unknown }): Promise<ReplicasView> {
  const entry = parseReplica(params)
  const list = await stored.replicas.get()
  if (list.length >= MAX_REPLICAS && !list.some((r) => r.url === entry.url)) {
    throw invalidParams(`At most ${MAX_REPLICAS} replicas.`)
  }
  await stored.replicas.set([...list.filter((r) => r.url !== entry.url), { ...entry, addedAt: Date.now() }])
  await pushGossipPeers().catch(() => {}) // the Worker gets them again when its document is recreated
  return replicasView({ probe: true })
}

export async function removeReplica(params: { url?: unknown }): Promise<ReplicasView> {
  await stored.replicas.set((await stored.replicas.get()).filter((r) => r.url !== params.url))
  await pushGossipPeers().catch(() => {})
  return replicasView()
}

/** Probes every replica against the local node (and notes how busy the node is). */
export async function probeReplicas(local: RollupCall = rollupService.request): Promise<ReplicaRecord[]> {
  lastProbe = Date.now()
  if ((await stored.replicas.get()).length === 0) return []
  const status = (await local('rollup_status').catch(() => undefined)) as
    | { pendingCount: number; openBlock: { txCount: number } }
    | undefined
  if (status) localPending = { count: status.pendingCount + status.openBlock.txCount, at: Date.now() }
  const probed = await Promise.all((await stored.replicas.get()).map((r) => probeReplica(local, replicaRequest, r)))
  // A replica removed while it was probed stays removed.
  const now = new Map((await stored.replicas.get()).map((r) => [r.url, r]))
  const kept = probed.filter((r) => now.has(r.url)).map((r) => ({ ...r, p2p: now.get(r.url)!.p2p }))
  await stored.replicas.set(kept)
  return kept
}

export async function replicasView(o: { probe?: boolean } = {}): Promise<ReplicasView> {
  const replicas =
    o.probe || Date.now() - lastProbe >= MIN_PROBE_INTERVAL_MS ? await probeReplicas() : await stored.replicas.get()
  const gossip = await send('rollup:gossip', undefined).catch(() => undefined)
  return { replicas, ...(gossip ? { gossip } : {}), routed, ...(lastRouted ? { lastRouted } : {}) }
}

/** A dApp's read on the agent's chain: the embedded node, or a healthy replica while it is busy. */
export function readRollup(method: string, params: readonly unknown[]): Promise<unknown> {
  return routeRead(
    {
      local: rollupService.request,
      remote: replicaRequest,
      replicas: () => stored.replicas.get(),
      pendingTxs: () => (localPending && Date.now() - localPending.at < 60_000 ? localPending.count : undefined),
      onRouted: (url, method, why) => {
        routed++
        lastRouted = { url, method, why, at: Date.now() }
      },
    },
    method,
    params,
  )
}
