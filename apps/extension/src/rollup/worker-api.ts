/** The API the rollup Worker exposes to the offscreen document over comlink. */
import type { Address, Hex } from 'viem'
import type { SerializedError } from '../core/errors.ts'
import type { GossipState } from './block-gossip.ts'
import type { PinPath } from './ipfs-pinner.ts'

/** `network`: the wallet network the rollup belongs to (its IndexedDB is that network's; decision 0430). */
export type RollupGenesisConfig = {
  chainId: number
  /** The agent's L1 RollupInbox, named by the L2 bridge predeploy in genesis. */
  inbox: `0x${string}`
  /** Funded at genesis: empty except in a dev-flagged build (decision 0402). */
  funded: `0x${string}`[]
  network?: string
}

/** JSON-RPC errors cross comlink as values (comlink keeps only an Error's message). */
export type RollupAnswer = { result: unknown } | { error: SerializedError }

/**
 * Where and as whom the Worker posts batches (decision 0405). Holds the batcher key: it only
 * travels background → offscreen → Worker (extension contexts) and is never logged.
 */
export type BatcherSetup = {
  privateKey: Hex
  inbox: Address
  l1RpcUrl: string
  l1ChainId: number
  /** The stack's IPFS peer HTTP API (manifest `services.ipfsHttp`): the fallback pin path. */
  ipfsUrl?: string
  /** The IPFS peer's libp2p /ws multiaddr (manifest `services.ipfs`): pins go there first (decision 0421). */
  ipfsPeer?: string
  /** Beacon API for blobs (the network's `services.beacon`), read by the output watch; else IPFS only. */
  beaconUrl?: string
}

/** A batch the inbox accepted (L1 is the truth; this is the Worker's record of it). */
export type PostedBatch = {
  index: number
  firstBlock: number
  lastBlock: number
  blobTxHash?: Hex
  cid: string
  blobVersionedHashes: Hex[]
  /** When the Worker saw the inbox accept it (ms since epoch). */
  at: number
}

/** What the Worker's batcher is doing, for the rollup screen and activity. */
export type BatchingState =
  | { enabled: false }
  | {
      enabled: true
      inbox: Address
      batcher: Address
      /** Newest first. */
      batches: PostedBatch[]
      /** The batcher's latest non-idle step ('sent', 'waiting: …'), for diagnosis. */
      lastEvent?: string
      /** How the latest batch reached the IPFS peer (since the Worker started). */
      lastPin?: PinPath
    }

/** A deposit a block of the agent's chain included (rollup-lite SPEC.md §10.1); quantities in decimal wei. */
export type IncludedDeposit = {
  /** The deposit's L2 transaction hash (`depositTransactionHash` of the portal's log). */
  l2Hash: Hex
  l2Block: number
  /** The origin of the block that included it: the deposit's L1 block is at or below it. */
  l1Origin: number
  sourceHash: Hex
  from: Address
  to: Address | null
  mint: string
  status: 'success' | 'reverted'
}

/**
 * The chain's deposit feed (rollup-lite SPEC.md §10.2): `following` is the inbox whose portal deposits it
 * reads (null until batching names it: blocks carry origin 0 until then); `l1Origin` is the head's origin, so
 * a deposit made in L1 block N is on L2 once `l1Origin ≥ N`; `deposits` the latest included, newest first.
 */
export type DepositsState = {
  following: Address | null
  head: number
  l1Origin: number
  deposits: IncludedDeposit[]
}

/** An output posted on the agent's inbox that the Worker's derivation does not reproduce (not yet settled on L1). */
export type OutputMismatch = {
  index: number
  outputRoot: Hex
  /** The root derivation gives (absent when the batch's blocks do not even execute). */
  derived?: Hex
  reason: string
  /** When the Worker found it (ms since epoch). */
  at: number
}

/** The output watch (rollup/output-watch.ts): the inbox it follows and the mismatches it found, newest first. */
export type OwnOutputsState = {
  watching: Address | null
  mismatches: OutputMismatch[]
  /** The last output index the watch has a verdict on (its checkpoint survives Worker restarts). */
  checkedThrough?: number
  lastError?: string
}

/** A file the Worker's Helia node holds and the IPFS peer pinned (CIDv1 raw sha2-256, base32). */
export type PublishedFile = { cid: string; via: 'libp2p' | 'http' }

export type RollupWorkerApi = {
  /** Opens the node's IndexedDB state (or creates it from genesis) and starts sequencing. */
  start(genesis: RollupGenesisConfig): Promise<{ chainId: number }>
  /** A JSON-RPC request to the node (eth_*, rollup_*). */
  request(method: string, params: readonly unknown[]): Promise<RollupAnswer>
  /** Saves the batcher setup in IndexedDB (so it survives restarts) and starts batching. */
  configureBatcher(setup: BatcherSetup): Promise<BatchingState>
  batching(): Promise<BatchingState>
  /** Publishes a file on IPFS under the batcher key (batching must be set up). */
  publishFile(bytes: Uint8Array): Promise<PublishedFile>
  /** The libp2p peers (replicas' multiaddrs) the Worker dials to gossip its unsafe blocks (issue 17). */
  gossipPeers(peers: string[]): Promise<GossipState>
  gossip(): Promise<GossipState>
  /** The deposit feed: the head's L1 origin and the deposits the chain included. */
  deposits(): Promise<DepositsState>
  /** The output watch: outputs on the agent's inbox this node's derivation does not reproduce. */
  outputs(): Promise<OwnOutputsState>
}
