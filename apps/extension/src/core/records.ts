/** The shapes the wallet stores (types only, so every module can name them without import cycles). */
import type { Erc8004Registries } from '@seed/contracts'
import type { Address, Hex } from 'viem'
import type { RpcUserOperation } from 'viem/account-abstraction'
import type { TopUpPlan, TopUpRecord } from '../background/rollup/batcher-topup-plan.ts'
import type { GossipState } from '../rollup/block-gossip.ts'

export type AccountRecord = {
  /** Owner EOA: signs user ops and ERC-1271 messages for the smart account, nothing else. */
  owner: Address
  /** The agent's ERC-4337 SeedAccount on L1. */
  smartAccount: Address
  /** The agent's account on its rollup, from a key derived from the owner key (decision 0401). */
  rollupAccount: Address
  /** The agent's own rollup chain: its L1 inbox and the chain id derived from it (decision 0402). */
  rollup: { chainId: number; inbox: Address }
}

export type Permission = { parentCapability: 'eth_accounts'; invoker: string; date: number }

export type ActivityItem = {
  id: string
  kind: 'userOp' | 'l2Tx' | 'signature' | 'connect' | 'batch' | 'deploy'
  origin: string
  chainId: number
  summary: string
  hash?: Hex
  userOpHash?: Hex
  status: 'pending' | 'success' | 'failed'
  at: number
}

/**
 * A withdrawal the wallet started on its rollup (background/bridge/): what L1 needs to prove and finalize it
 * (the message passer's fields, amounts as decimal strings) and the stages the wallet saw it reach.
 */
export type WithdrawalRecord = {
  withdrawalHash: Hex
  withdrawal: { nonce: string; sender: Address; target: Address; value: string; gasLimit: string; data: Hex }
  asset: 'eth' | 'usd'
  /** Base units (wei, or Seed USD's 6 decimals). */
  amount: string
  to: Address
  l2Tx: Hex
  l2Block: number
  timeline: { stage: string; at: number }[]
  proveTx?: Hex
  finalizeTx?: Hex
}

export type CustomChain = { chainId: number; name: string; rpcUrl: string }

/** A chain as the switch/add approval shows it (no `rpcUrl`: the rollup in this browser). */
export type ChainDescription = { chainId: number; name: string; rpcUrl?: string }

/** `granted`: hex chain ids the user approved for the origin; `added`: its read-only chains. */
export type SiteChains = { granted: Hex[]; added: Record<Hex, CustomChain> }

export type RawL2Send = { hash: Hex; raw: Hex; at: number }

/** A user op as signed, kept before it leaves the wallet so a restart re-sends the same op. */
export type SignedUserOp = { userOp: RpcUserOperation<'0.7'>; userOpHash: Hex; entryPoint: Address }

/** A signed op as journaled: `submitted` once the bundler had it (a re-send may then fail harmlessly). */
export type UserOpStep = SignedUserOp & { kind: 'userOp'; submitted: boolean; bundleId?: Hex }

/** The inbox-creating op, journaled: a click after a restart finishes the op in flight instead of signing another. */
export type BatchingSetupJournal = { reservation: string; step?: UserOpStep }

/** A challenge of one of the agent's outputs in flight (decision 0702): the next alarm finishes it, never signs another. */
export type OutputChallengeJournal = {
  reservation: string
  index: number
  outputRoot: Hex
  /** The portal call (value in decimal wei: storage holds JSON). */
  call: { to: Address; data: Hex; value: string }
  step?: UserOpStep
}

/** The batcher top-up in flight (decision 0416), with its signed op until it settles. */
export type TopUpJournal = TopUpRecord & { op?: SignedUserOp }

/** What the last top-up check did (kept for the rollup screen and tests: they wait on it, not on time). */
export type TopUpCheck = { at: number; outcome: TopUpPlan['kind'] | 'refused'; reason?: string }

/** An EIP-5792 call bundle; `origin` is the only site that may ask for its status. */
export type CallsBundle = { id: string; chainId: number; transactionHash?: Hex; success?: boolean; origin?: string }

/**
 * The active network's runtime config, in the shape the whole background reads (`getDevnetConfig`):
 * the devnet's from its manifest, any other network's from its settings and Seed's deterministic
 * addresses (decision 0430).
 */
export type DevnetConfig = {
  l1: { chainId: number; rpcUrl: string }
  bundlerUrl: string
  contracts: {
    entryPointV07: Address
    seedAccountFactory: Address
    usd: Address
    /** Devnet only (the stack deploys it for tests). */
    testToken?: Address
    [name: string]: Address | undefined
  }
  /** The stack's services by manifest key: `ipfs` (libp2p multiaddr), `ipfsHttp`, `facilitator`, `beacon`. */
  services: Record<string, string>
  /**
   * Only in a build made with the explicit dev flag: the devnet's public dev accounts, funded in
   * every embedded rollup's genesis for tests (decision 0402). A normal build funds no public key.
   */
  rollup?: { devFunded: Address[] }
  /** The stack's own rollup peer (manifest `rollup`): a network the wallet's rollup account may pay x402 on. */
  stackRollup?: { chainId: number; rpcUrl: string }
  /** The devnet's force window for the agent's chain (manifest `bridge`), when it is not the devnet preset's. */
  bridgeForceWindow?: number
}

/**
 * What a paired agent may do without asking (decision 0601): spend up to the budgets over the
 * grant's life, to the allowed targets (empty: any), until `expiresAt`; sends above the approval
 * thresholds open the approval window. Amounts are decimal strings (ETH, USDS).
 */
export type PairingGrant = {
  budgetEth: string
  budgetUsd: string
  allowedTargets: Address[]
  expiresAt: number
  approvalAboveEth: string
  approvalAboveUsd: string
}

/** An external agent the person paired in the popup (decision 0600). */
export type Pairing = {
  id: string
  name: string
  /** The local bridge the extension connects out to (ws://127.0.0.1:<port>). */
  bridgeUrl: string
  /** The agent's key: the bridge proves it holds it on every connection (a signed challenge). */
  agentAddress: Address
  createdAt: number
  grant: PairingGrant
  revokedAt?: number
  /** The grant's on-chain half on L1 (decision 0605); absent while it is being installed. */
  session?: PairingSession
}

/**
 * A pairing's SeedAccount session key (decision 0605): `active` bounds its L1 sends on-chain (the
 * ERC-7715 grant record under `context` holds the sealed key); `none` says why the chain cannot.
 */
export type PairingSession =
  | { status: 'active' | 'revoked'; context: Hex; sessionKey: Address }
  /** `retry`: the install failed or was cut off; it is tried again on the agent's next action and at unlock. */
  | { status: 'none'; reason: string; retry?: boolean }
  /** The install op under `requestId` is on its way (a restarted worker finishes it, then records it). */
  | { status: 'installing'; requestId: string }

/** A pairing offer on its way to the person's decision (the code stays with the agent: the person types it). */
export type PairingOffer = {
  id: string
  name: string
  bridgeUrl: string
  agentAddress: Address
  at: number
  status: 'pending' | 'approved' | 'rejected'
}

/**
 * An ERC-7715 execution permission (decisions 0207, 0208): a SeedAccount session key the wallet made for
 * one origin's grant, sealed at rest like the batcher key. Amounts are decimal strings.
 */
export type GrantRecord = {
  /** What the dApp holds: abi.encode(account, sessionKey); the on-chain session is `sessions[sessionKey]`. */
  context: Hex
  origin: string
  chainId: number
  account: Address
  sessionKey: Address
  sealedKey: { iv: Hex; data: Hex }
  permissions: GrantPermission[]
  /** Wei per period the session's ops may cost the account's EntryPoint deposit (moved there at the grant). */
  gasBudget: string
  /** Seconds, rolling; one period for the whole session; 0 = the amounts cover the whole grant (an allowance). */
  period: number
  startTime: number
  expiry: number
  status: 'installing' | 'active' | 'revoked'
  grantedAt: number
  /** The revocation op in flight, so a retry re-sends it rather than signing another. */
  revocation?: { reservation: string; step?: UserOpStep }
}

export type GrantPermission =
  | {
      type: 'native-token-periodic' | 'native-token-allowance'
      /** Wei per period (the whole grant for an allowance). */
      amount: string
      targets: Address[]
      /** `any`: the targets may be called (any function), not only paid (a pairing's key, decision 0605). */
      calls?: 'any'
      justification?: string
    }
  | {
      type: 'erc20-token-periodic' | 'erc20-token-allowance'
      tokenAddress: Address
      /** Token units per period (the whole grant for an allowance). */
      amount: string
      symbol: string
      decimals: number
      justification?: string
    }

export type NetworkPreset = 'devnet' | 'sepolia' | 'baseSepolia' | 'custom'

/** A network as the networks screen edits it (decision 0430). The devnet's id is `devnet`. */
export type NetworkSettings = {
  id: string
  name: string
  preset: NetworkPreset
  l1: { chainId: number; rpcUrl: string }
  bundlerUrl: string
  /** Beacon API base URL (blobs by slot); anvil serves one at its RPC URL. */
  beaconUrl: string
  /** The IPFS peer: its HTTP API (pin fallback) and its libp2p /ws multiaddr (pins go there first). */
  ipfsUrl: string
  ipfsPeer: string
  facilitatorUrl: string
  /** Devnet only: where the running stack serves its manifest (its contracts and URLs are read from it). */
  manifestUrl?: string
  /** Devnet only: the stack's faucet (the Fund screen's "Get devnet ETH"; decision 0432). */
  faucetUrl?: string
  /** Devnet only: the stack's contract addresses (any other network uses Seed's deterministic ones). */
  contracts?: DevnetConfig['contracts']
  /** The ERC-8004 registries this network uses, when not Seed's deterministic ones (decision 0800). */
  erc8004?: Erc8004Registries
}

export type NetworkField = 'l1' | 'bundler' | 'beacon' | 'ipfs' | 'facilitator'

/** One field's connection check: `ok`, or a short typed reason the screen shows next to it. */
export type NetworkCheck = { field: NetworkField; ok: boolean; detail: string; code?: string }

/**
 * Seed's deployment from the owner key (decision 0431): one signed tx per missing contract, each with
 * its own reservation, journaled before any is sent; `sent` once the node took it.
 */
export type SeedDeploymentJournal = { txs: { name: string; reservation: string; hash: Hex; raw: Hex; sent: boolean }[] }

/**
 * A replica of the agent's chain the wallet knows (issue 17): its JSON-RPC, optionally its libp2p
 * multiaddr (the Worker dials it to gossip blocks), and what the last probe found.
 */
export type ReplicaRecord = {
  url: string
  p2p?: string
  addedAt: number
  /** The last probe: when, the replica's head, how many blocks it trails the local head by. */
  checkedAt?: number
  head?: number
  lag?: number
  /** Its block at the common height has the local hash and state root. */
  agrees?: boolean
  /** The last time it answered at all. */
  lastSeen?: number
  error?: string
}

/** The Rollup screen's replicas section: the list, the Worker's gossip, the reads routed so far. */
export type ReplicasView = {
  replicas: ReplicaRecord[]
  gossip?: GossipState
  /** Reads sent to a replica since the background started, and the last one. */
  routed: number
  lastRouted?: { url: string; method: string; why: 'busy' | 'slow'; at: number }
}

/** A bounty this wallet posted to the escrow (decision 0802), and what it saw of each slot that joined. */
export type PostedBounty = {
  bountyId: string
  escrow: Address
  postTx: Hex
  /** The L1 block of the post: the slot and settlement scans start there. */
  fromBlock: string
  postedAt: number
  /** Withdrawn after the close (decision 0802): what came back to the account (Seed USD, decimal) and the L1 tx. */
  closed?: { refunded: string; tx: Hex }
  /** By agentId. */
  slots: Record<string, BountySlotRecord>
}

/** One joined slot: where its operator answers, its probe history (uptime) and its feedback per settlement. */
export type BountySlotRecord = {
  agentId: string
  /** The key that joined: it signs the operator's probe answers. */
  operator: Address
  payee: Address
  /** From the agent's registration file: its `bounty-operator` (probes, vouchers) and `rollup-rpc` services. */
  operatorUrl?: string
  rpcUrl?: string
  /** When it joined (the `BountyJoined` block's time, ms): a miss within its first epoch is catching up. */
  joinedAt?: number
  /** Probes that counted (not the pending ones), and passed; the last that counted. */
  probes: number
  passed: number
  lastProbe?: SlotProbe
  /**
   * A miss since `lastProbe` that does not count: the slot joined less than an epoch ago and is catching up (a
   * replica syncing), or a verifier's response to the window is still awaited. Not paid, not reported, probed
   * again at the next tick.
   */
  pendingProbe?: SlotProbe & { why: 'catching up' | 'awaiting the validation response' }
  lastPaidAt?: number
  /** A verify slot's windows (decision 0802): the next batch to ask about, and the window asked and not judged yet. */
  verify?: { nextBatch: string; window?: { fromBatch: string; toBatch: string; requestedAt?: number } }
  /** Why the slot is not being paid now (no operator URL, the policy refused…), when it is not. */
  problem?: string
  /** The feedback given per settlement (giveBountyFeedback's ledger; amounts as decimal strings). */
  reviewed: Record<Hex, { feedbackIndex: string; value: string }>
}

/** The Agents screen's index of the escrow's open bounties: the last block scanned for posts, and the ids still open. */
export type OpenBountyIndex = { escrow: Address; scanned: string; open: string[] }

/**
 * A bounty epoch above the approval threshold, asked of the person (one request per slot at a time): `pending`
 * while the window is up, `approved` until the payer's next tick pays it, `refused` until a later epoch asks again.
 */
export type BountyEpochApproval = { requestId: string; reservation: string; status: 'pending' | 'approved' | 'refused' }

/** A probe of a bounty slot: passed, or the check that failed (the miss's feedback tag) and why. */
export type SlotProbe = { at: number; passed: boolean; miss?: string; details?: string }

/** A slot's epoch vouchers: the total journaled before a signature leaves, and the one the operator took. */
export type VoucherJournalEntry = {
  signed: string
  delivered: string
  reservation?: string
  /** The epochs, windows or batches the journaled total adds (1 when absent: entries before pin slots). */
  units?: string
  /** What the total pays for when it must be paid once (a verify window, `from-to`). */
  paying?: string
}

/** The bounty payer's own L1 op in flight (feedback), journaled like the output challenge's. */
export type BountyOpJournal = { reservation: string; calls: { to: Address; data: Hex }[]; step?: UserOpStep }
