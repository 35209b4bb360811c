/**
 * The deployment manifest: chain ids, URLs, ports and addresses of the running local stack.
 * The one source of truth every package and app reads; nothing copies addresses around.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Address } from 'viem'

export type Manifest = {
  version: 1
  startedAt: string
  /** Set when the stack was stopped: nothing answers at these URLs any more. */
  stoppedAt?: string
  l1: {
    chainId: number
    rpcUrl: string
    beaconUrl: string
    hardfork: string
    /**
     * Beacon genesis time and slot length, for a beacon API that does not serve them (rollup-lite
     * derive/beacon.ts). Absent on the devnet: instant-mining anvil has no slots, and its endpoint
     * names blocks by number (docs/decisions/0005).
     */
    beaconSlots?: { genesisTime: number; secondsPerSlot: number }
  }
  bundler: { url: string }
  /**
   * The force window (seconds) the devnet's rollups register (SPEC §10.2): a day when its L1 mines only on
   * demand (idle minutes would leave a batch's first L1 origin older than the preset's 120 s), else the preset's.
   */
  bridge?: { forceWindow: number }
  /** The stack's rollup-lite peer: sequences, batches to the inbox (blobs) and pins on IPFS. */
  rollup: {
    chainId: number
    rpcUrl: string
    /** its genesis JSON, for verifiers */
    genesis: string
    /** libp2p WebSocket multiaddr where it gossips its signed unsafe blocks (replicas dial it). */
    p2p?: string
  }
  contracts: {
    entryPointV07: Address
    entryPointV08: Address
    simpleAccountFactoryV07: Address
    simpleAccountFactoryV08: Address
    testToken: Address
    /** Issue 4 (packages/aa): Seed USD, SeedAccount factory, paymasters. */
    usd: Address
    seedAccountFactory: Address
    verifyingPaymaster: Address
    tokenPaymaster: Address
    rollupInbox: Address
    /** One RollupInbox per agent for the extensions' embedded rollups (docs/decisions/0405). */
    rollupInboxFactory: Address
    /** Issue 7 (packages/x402): the payment-channel contract (x402 `channel` scheme). */
    paymentChannel: Address
  }
  /** Addresses of the well-known devnet roles (keys: see accounts.ts; devnet only). */
  accounts: Record<string, Address>
  /** URLs of the stack's services by key (`SERVICE_LABELS` in status.ts names them for people). */
  services: Record<string, string>
  /**
   * Operator credentials of the devnet's services (facilitator `/claim`, IPFS pinning): for tests and tools on
   * this machine, never baked into an app (apps read `services`).
   */
  operator?: Record<string, string>
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** `SEED_MANIFEST` if set, else `.seed/devnet.json` at the repo root. */
export function manifestPath(): string {
  return process.env.SEED_MANIFEST ?? join(repoRoot, '.seed', 'devnet.json')
}

export function writeManifest(manifest: Manifest, path = manifestPath()): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`)
  return path
}

export function readManifest(path = manifestPath()): Manifest {
  if (!existsSync(path)) throw new Error(`no devnet manifest at ${path}: start the stack with \`pnpm dev\``)
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest
}
