/**
 * Blobs from a beacon node through the standard beacon API (docs/decisions/0005). An L1 block is named by
 * its slot, computed from the block's timestamp, the beacon genesis time and the slot length; the node's
 * answer is trusted for nothing: every blob must recompute (KZG commitment → versioned hash) to a hash the
 * inbox posted on L1.
 *
 * Endpoints: `GET /eth/v1/beacon/blobs/{slot}?versioned_hashes=…` (what current nodes and anvil serve), and
 * `GET /eth/v1/beacon/blob_sidecars/{slot}` for nodes that predate it. Genesis time from
 * `/eth/v1/beacon/genesis`, slot length from `/eth/v1/config/spec`, each overridable by configuration. A node
 * with no spec endpoint and no configured slot length has no slots to compute (anvil with instant mining
 * puts several blocks in one second): its blocks are named by their execution block number, which is what
 * anvil's endpoint takes.
 */
import { readLimited } from '@seed/contracts'
import { commitmentsToVersionedHashes, type Hex, hexToBytes } from 'viem'
import { BYTES_PER_BLOB } from '../protocol/codec/blob.ts'
import { type BlobKzg, blobCommitments } from './blob-kzg.ts'
import { DataUnavailableError } from './data-unavailable.ts'

export type BeaconOptions = {
  /** Beacon API base URL. */
  url: string
  /** Beacon genesis (unix seconds); default: the node's `/eth/v1/beacon/genesis`. */
  genesisTime?: number
  /** Slot length in seconds; default: the node's `/eth/v1/config/spec` SECONDS_PER_SLOT. */
  secondsPerSlot?: number
  /** Per request; a node that never answers must not stall derivation. */
  timeoutMs?: number
}

/** How this node names L1 blocks: by slot (any beacon node), or by execution block number (anvil, no slots). */
export type BeaconAddressing =
  | { kind: 'slot'; genesisTime: bigint; secondsPerSlot: bigint }
  | { kind: 'block-number'; genesisTime?: bigint }

export type L1BlockRef = { number: bigint; timestamp: bigint }

export type BeaconClient = {
  readonly url: string
  addressing(): Promise<BeaconAddressing>
  /** The beacon block id of an L1 block: its slot (decimal) or, on a node without slots, its number. */
  blockId(block: L1BlockRef): Promise<string>
  /**
   * The blobs with these versioned hashes, in their order, each checked against its hash. `whileChecking`
   * gets the node's answer before the check, while the commitments are computed (on other threads with a
   * committer): a caller may start pure work on it, and keeps that work only if the checked blobs are the
   * very same arrays in the same order.
   */
  blobs(
    block: L1BlockRef,
    versionedHashes: readonly Hex[],
    kzg: BlobKzg,
    whileChecking?: (unchecked: readonly Uint8Array[]) => void,
  ): Promise<Uint8Array[]>
}

/** Blobs one L1 block may carry (Prague: 9, Osaka: more per block with BPO forks), with room to spare. */
export const MAX_BLOBS_PER_L1_BLOCK = 32
/** A sidecar's JSON besides its blob: index, commitment, proof, signed header, inclusion proof. */
const SIDECAR_FRAMING_BYTES = 4_096
export const MAX_BLOBS_RESPONSE_BYTES = MAX_BLOBS_PER_L1_BLOCK * (2 * BYTES_PER_BLOB + SIDECAR_FRAMING_BYTES) + 4_096
/** Genesis and spec answers (a full spec is tens of kB). */
const SMALL_RESPONSE_BYTES = 256 * 1024
const DEFAULT_TIMEOUT_MS = 30_000
const BLOB_HEX = /^0x[0-9a-fA-F]*$/

const unavailable = (reason: string) => new DataUnavailableError('blobs', reason)

export function createBeaconClient(options: BeaconOptions | string): BeaconClient {
  const o = typeof options === 'string' ? { url: options } : options
  const url = o.url.replace(/\/+$/, '')
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS
  let addressing: Promise<BeaconAddressing> | undefined

  const get = (path: string, limit: number) =>
    fetchLimited(`${url}${path}`, limit, timeoutMs).catch((e: Error) => {
      throw unavailable(`${url}${path}: ${e.message}`)
    })

  async function resolveAddressing(): Promise<BeaconAddressing> {
    const genesisTime =
      o.genesisTime !== undefined
        ? BigInt(o.genesisTime)
        : await get('/eth/v1/beacon/genesis', SMALL_RESPONSE_BYTES).then((r) =>
            r.ok ? decimalField(r.json, ['data', 'genesis_time']) : undefined,
          )
    let secondsPerSlot = o.secondsPerSlot !== undefined ? BigInt(o.secondsPerSlot) : undefined
    if (secondsPerSlot === undefined) {
      const spec = await get('/eth/v1/config/spec', SMALL_RESPONSE_BYTES)
      if (spec.ok) secondsPerSlot = decimalField(spec.json, ['data', 'SECONDS_PER_SLOT'])
      else if (spec.status !== 404) throw unavailable(`${url}/eth/v1/config/spec: HTTP ${spec.status}`)
    }
    if (secondsPerSlot === undefined) return { kind: 'block-number', genesisTime }
    if (secondsPerSlot <= 0n) throw unavailable(`${url}: slot length ${secondsPerSlot} s`)
    if (genesisTime === undefined)
      throw unavailable(`${url}: no beacon genesis time (serve /eth/v1/beacon/genesis or configure it)`)
    return { kind: 'slot', genesisTime, secondsPerSlot }
  }

  const client: BeaconClient = {
    url,
    addressing() {
      // Cached once known; a failure is not cached, so a node that comes back is asked again.
      addressing ??= resolveAddressing().catch((e) => {
        addressing = undefined
        throw e
      })
      return addressing
    },

    async blockId(block) {
      const a = await client.addressing()
      if (a.kind === 'block-number') return block.number.toString()
      const offset = block.timestamp - a.genesisTime
      if (offset < 0n || offset % a.secondsPerSlot !== 0n) {
        throw unavailable(
          `L1 block ${block.number} (time ${block.timestamp}) is on no slot of this beacon chain (genesis ${a.genesisTime}, ${a.secondsPerSlot} s slots): another chain's beacon node?`,
        )
      }
      return (offset / a.secondsPerSlot).toString()
    },

    async blobs(block, versionedHashes, kzg, whileChecking) {
      const id = await client.blockId(block)
      const found = await fetchBlobs(id, versionedHashes)
      const bytes = found.map((b) => hexToBytes(b)) // once: KZG and unpacking both take bytes
      const commitments = blobCommitments(bytes, kzg)
      whileChecking?.(bytes)
      const hashes = commitmentsToVersionedHashes({ commitments: await commitments, to: 'hex' })
      // The node may answer more blobs of the block than asked (or others): keep the matching ones.
      const byHash = new Map(hashes.map((h, i) => [h.toLowerCase(), bytes[i]!]))
      return versionedHashes.map((h) => {
        const blob = byHash.get(h.toLowerCase())
        if (!blob) throw unavailable(`no blob at ${id} matches versioned hash ${h} (pruned, missed slot or tampered)`)
        return blob
      })
    },
  }

  /** The blobs endpoint, else (a node that predates it) the sidecars one; the blobs as hex, sizes checked. */
  async function fetchBlobs(id: string, versionedHashes: readonly Hex[]): Promise<Hex[]> {
    const blobsPath = `/eth/v1/beacon/blobs/${id}?versioned_hashes=${versionedHashes.join(',')}`
    const res = await get(blobsPath, MAX_BLOBS_RESPONSE_BYTES)
    if (res.ok) return blobList(res.json, (item) => item, blobsPath)
    const sidecarsPath = `/eth/v1/beacon/blob_sidecars/${id}`
    const sidecars = await get(sidecarsPath, MAX_BLOBS_RESPONSE_BYTES)
    if (sidecars.ok) return blobList(sidecars.json, (item) => (item as { blob?: unknown } | null)?.blob, sidecarsPath)
    throw unavailable(
      `no blobs for block ${id} at ${url} (blobs: HTTP ${res.status}, blob_sidecars: HTTP ${sidecars.status}; missing slot or pruned)`,
    )
  }

  return client
}

function blobList(json: unknown, blobOf: (item: unknown) => unknown, path: string): Hex[] {
  const data = (json as { data?: unknown } | null)?.data
  if (!Array.isArray(data)) throw unavailable(`${path}: not a list of blobs`)
  if (data.length > MAX_BLOBS_PER_L1_BLOCK) throw unavailable(`${path}: ${data.length} blobs for one block`)
  return data.map((item) => {
    const blob = blobOf(item)
    if (typeof blob !== 'string' || blob.length !== 2 + 2 * BYTES_PER_BLOB || !BLOB_HEX.test(blob)) {
      throw unavailable(`${path}: not a blob (${typeof blob === 'string' ? `${blob.length} characters` : typeof blob})`)
    }
    return blob as Hex
  })
}

function decimalField(json: unknown, path: string[]): bigint {
  let value: unknown = json
  for (const key of path) value = (value as Record<string, unknown> | null)?.[key]
  if (typeof value !== 'string' && typeof value !== 'number')
    throw unavailable(`beacon answer has no ${path.join('.')}`)
  if (!/^\d{1,20}$/.test(String(value)))
    throw unavailable(`beacon ${path.join('.')} is not a number: ${String(value).slice(0, 40)}`)
  return BigInt(value)
}

/** GET with a time limit and a size limit; the JSON body when it parses (errors carry JSON too). */
async function fetchLimited(
  url: string,
  limit: number,
  timeoutMs: number,
): Promise<{ ok: boolean; status: number; json: unknown }> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) })
  const body = await readLimited(res, limit)
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(body))
  } catch {
    if (res.ok) throw new Error('answer is not JSON')
  }
  return { ok: res.ok, status: res.status, json }
}
