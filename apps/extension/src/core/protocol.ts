/** Message types per runtime target (the typed half of messenger.ts). */

import type {
  AgentEvent,
  AgentView,
  BountyClosing,
  BountyPosted,
  BountyRef,
  BountyWithdrawn,
  BridgeTransferParams,
  EventTopic,
  FeedbackView,
  PostBountyParams,
  ReputationView,
  Sent,
  WithdrawalStep,
  WithdrawalView,
} from '@seed/agent/api'
import type { Address, Hex } from 'viem'
import type { GossipState } from '../rollup/block-gossip.ts'
import type {
  BatcherSetup,
  BatchingState,
  DepositsState,
  OwnOutputsState,
  PublishedFile,
} from '../rollup/worker-api.ts'
import type { ScriptRunRequest } from '../sandbox/protocol.ts'
import type { SerializedError } from './errors.ts'
import type {
  ActivityItem,
  BountySlotRecord,
  GrantRecord,
  NetworkCheck,
  NetworkSettings,
  Pairing,
  PairingGrant,
  PairingOffer,
  ReplicasView,
  SlotProbe,
} from './records.ts'
import type { AccountInfo, RollupStatus } from './services.ts'

export type PendingRequest = {
  id: string
  origin: string
  method: string
  params: unknown
  chainId: number
  status: 'pending' | 'approved' | 'done' | 'rejected' | 'failed'
  result?: unknown
  error?: SerializedError
  windowId?: number
  createdAt: number
  /** How far an approved request got (decision 0413): what a restarted worker needs to finish it. */
  execution?: Execution
  /** The grant whose session key signs this request (a paired agent's, decision 0605); else the owner signs. */
  sessionContext?: Hex
  /** Why an agent's request asks the person (its pairing's threshold, or a caller with no grant), beside the policy's verdict. */
  askedBecause?: { source: 'pairing' | 'policy' | 'no-grant'; reasons: { code: string; message: string }[] }
}

/**
 * `userOp`: signed and stored before it goes to the bundler, so a restart re-sends the same op
 * (same nonce: it can only land once) and waits for its receipt. `l2`: the signed rollup tx, stored
 * before it goes to the node, so a restart re-sends the same tx (its nonce lets it land once).
 */
export type Execution =
  | {
      kind: 'userOp'
      userOp: unknown
      userOpHash: Hex
      entryPoint: Address
      submitted: boolean
      /** wallet_sendCalls: the id the dApp will be given. */
      bundleId?: Hex
    }
  | { kind: 'l2'; raw: Hex; hash: Hex }

export type DecodedCall = {
  to: Address
  value: string
  data: Hex
  functionName?: string
  args?: { name: string; value: string }[]
  contract?: string
}

export type AssetChange = { symbol: string; token: Address; diff: string }

/** eth_signTypedData_v4 as the approval screen shows it. */
export type TypedDataSummary = {
  primaryType: string
  domain: { name?: string; version?: string; chainId?: number; verifyingContract?: Address }
  /** The token the domain names, when the wallet knows it. */
  contract?: string
  fields: { name: string; value: string }[]
  /** What a permit / transfer authorisation lets someone do, in words. */
  spend?: string
}

export type ApprovalView = PendingRequest & {
  account?: Address
  calls?: DecodedCall[]
  assetChanges?: AssetChange[]
  simulationError?: string
  message?: string
  typedData?: TypedDataSummary
  /** The most the user op can cost in fees (ETH), counted against the daily ETH budget. */
  maxFeeEth?: string
  /** @seed/aa policy engine verdict for the calls or the signature. */
  verdict?: { decision: 'allow' | 'deny' | 'needs-approval'; reasons: { code: string; message: string }[] }
}

export type FundingStepId = 'firstUserOp' | 'startBatching'

/** The Fund screen (decision 0432): needs in ETH at the bundler's fee per gas now; `ready` = the balance covers it. */
export type FundingView = {
  smartAccount: Address
  rollupAccount: Address
  l1ChainId: number
  rollupChainId: number
  l1Eth?: string
  l2Eth?: string
  maxFeePerGasGwei?: string
  steps: { id: FundingStepId; needEth: string; ready: boolean; done: boolean }[]
  /** Whether the network has a faucet (its URL stays in the background). */
  faucet: boolean
  /** What could not be read just now (the rollup node starting, the bundler down). */
  error?: string
}

export type FaucetDrip = { amountEth: string; amountUsd?: string; txHash?: string }

export type PolicySettings = {
  /** Max ETH a single request may send. */
  perTxEth: string
  /** Max ETH per rolling 24 h. */
  dailyEth: string
  /** Max USDS (the devnet dollar) a single request may move or approve, permits included. */
  perTxUsd: string
  /** Max USDS per rolling 24 h. */
  dailyUsd: string
  /** Max actions (sends and signatures) per minute. */
  maxPerMinute: number
  denyTargets: Address[]
  /** Whether dApps may ask for signatures that spend nothing (login messages…). */
  allowSignatures: boolean
  /** Whether a dApp may get a 32-byte personal_sign (a hash: it can authorise anything). Default off. */
  allowHashSigning: boolean
  /** EIP-712 primary types that move value the wallet cannot count (Permit2, orders) and may still be signed. */
  allowSpendingSignTypes: string[]
  /** Refuse user ops whose bundler-proposed max fee per gas is above this (gwei). */
  maxFeePerGasGwei: string
  /** Refuse user ops whose gas limits (call, verification, preVerification, paymaster) sum above this. */
  maxGas: number
  /**
   * Ask the person above these (ETH, USDS) even for a caller whose own grant would allow it (a paired
   * agent): the wallet's word over the grant's. A dApp's request is always asked. Unset: no threshold.
   */
  approvalAboveEth?: string
  approvalAboveUsd?: string
}

export type PolicyView = {
  settings: PolicySettings
  frozen: boolean
  spentTodayEth: string
  /** USDS sent or approved (permits included) in the last 24 h. */
  spentTodayUsd: string
  /** User-op fees in the last 24 h (maximums while in flight): they count against the ETH budget too. */
  feesTodayEth: string
}

export type WalletSettings = { autoLockMinutes: number }

export type WalletState = {
  /** The active network (decision 0430). */
  network?: { id: string; name: string }
  configured: boolean
  hasVault: boolean
  unlocked: boolean
  account?: AccountInfo
  l1ChainId?: number
  rollupChainId?: number
}

/** An ERC-7715 grant as the permissions list shows it (never its sealed key). */
export type GrantView = Omit<GrantRecord, 'sealedKey' | 'revocation'>

export type Balances = { l1?: { eth: string; token?: string; usd?: string }; l2?: { eth: string }; error?: string }

/** The networks screen: every network, the active one's id (decision 0430). */
export type NetworksView = { active: string; networks: NetworkSettings[] }

/** Seed's contracts on the active network, and what deploying the missing ones costs (decision 0431). */
export type SeedStatus = {
  /** EntryPoint v0.7 at its canonical address: the one prerequisite the wallet cannot deploy. */
  entryPointV07: boolean
  /** The deterministic CREATE2 deployer (present on nearly every chain; false only where it is not). */
  deployer?: boolean
  missing: string[]
  /** The deployment's fees as the node estimates them now, ETH. */
  costEth?: string
  /** The most it can cost (every static gas limit at the current max fee per gas): what the policy counts. */
  maxCostEth?: string
  /** Who pays: the owner's L1 key (an EOA; the smart account needs the factory being deployed). */
  payer?: Address
  payerBalanceEth?: string
  /** A deployment journaled and not yet confirmed (a click resumes it, never signs anew). */
  inFlight?: boolean
  error?: string
}

export type { AgentView, FeedbackView, ReputationView, WithdrawalView }

/** The Bridge screen: both sides' balances and the withdrawals with their stage now. */
export type BridgeOverview = {
  inbox: Address
  balances: { l1?: { eth: string; usd: string }; rollup?: { eth: string; usd: string } }
  withdrawals: WithdrawalView[]
}

/** The Agents screen: the registries in use, the wallet's own identities with their feedback, and what it gave. */
export type AgentsOverview = {
  registries: { identity: Address; reputation: Address; validation: Address }
  account?: Address
  mine: { agent: AgentView; reputation: ReputationView }[]
  given: FeedbackView[]
}

/** The approval request of a bounty epoch above the approval threshold (background/bounties/epoch-approval.ts). */
export const BOUNTY_EPOCH_METHOD = 'seed_payBountyEpoch'

/** What that request's window shows: which bounty, which agent, the price, the units and what they come to (Seed USD). */
export type EpochPayment = {
  bountyId: string
  agentId: string
  kind: string
  operator: Address
  payee: Address
  pricePerEpoch: string
  units: string
  amount: string
}

/** One slot of a bounty the wallet posted: its operator, probe history (uptime) and what it was paid (USD). */
export type BountySlotView = {
  agentId: string
  operator: Address
  operatorUrl?: string
  rpcUrl?: string
  probes: number
  passed: number
  paid: string
  lastProbe?: SlotProbe
  pendingProbe?: BountySlotRecord['pendingProbe']
  problem?: string
  /** An epoch above the approval threshold: asked of the person and not answered, approved (paid at the next tick), or refused. */
  approval?: 'waiting' | 'approved' | 'refused'
}

/** A bounty as the escrow holds it now (amounts in Seed USD); `slots` only for the wallet's own. */
export type BountyView = {
  bountyId: string
  poster: Address
  kind: string
  pricePerEpoch: string
  epochSeconds: number
  maxOperators: number
  operators: number
  /** What is not promised yet: the unjoined slots and each joined slot's allotment less what it was paid. */
  fundsLeft: string
  closing: boolean
  /** The close was requested: the slots can be withdrawn from then (ms since 1970). */
  withdrawableAt?: number
  /** The wallet's own, withdrawn: what came back (Seed USD). */
  refunded?: string
  slots?: BountySlotView[]
}

export type BountiesOverview = { mine: BountyView[]; open: BountyView[] }

export type BackgroundProtocol = {
  rpc: { req: { id: string; method: string; params?: unknown }; res: unknown }
  'ui:state': { req: undefined; res: WalletState }
  'ui:create': { req: { password: string; privateKey?: Hex }; res: AccountInfo | null }
  'ui:unlock': { req: { password: string }; res: AccountInfo | null }
  'ui:lock': { req: undefined; res: null }
  'ui:approval': { req: { id: string }; res: ApprovalView | null }
  'ui:decide': { req: { id: string; approved: boolean }; res: PendingRequest }
  'ui:balances': { req: undefined; res: Balances }
  'ui:funding': { req: undefined; res: FundingView | null }
  'ui:faucet': { req: undefined; res: FaucetDrip }
  'ui:sites': { req: undefined; res: { origin: string; date: number }[] }
  'ui:disconnect': { req: { origin: string }; res: null }
  'ui:activity': { req: undefined; res: ActivityItem[] }
  'ui:rollup': { req: undefined; res: RollupStatus | { error: string } }
  'ui:replicas': { req: undefined; res: ReplicasView }
  'ui:addReplica': { req: { url: string; p2p?: string }; res: ReplicasView }
  'ui:removeReplica': { req: { url: string }; res: ReplicasView }
  'ui:enableBatching': { req: undefined; res: RollupStatus }
  'ui:policy': { req: undefined; res: PolicyView }
  'ui:setPolicy': { req: { settings: PolicyView['settings']; frozen: boolean }; res: PolicyView }
  'ui:grants': { req: undefined; res: GrantView[] }
  'ui:revokeGrant': { req: { context: Hex }; res: GrantView }
  'ui:settings': { req: undefined; res: WalletSettings }
  'ui:setSettings': { req: WalletSettings; res: WalletSettings }
  'ui:pairings': { req: undefined; res: PairingView[] }
  'ui:pairStart': { req: { bridgeUrl: string }; res: PairingOffer }
  /** `grant` approves the offer; none rejects it. */
  'ui:pairDecide': { req: { offerId: string; grant?: PairingGrant; code?: string }; res: Pairing | null }
  'ui:pairRevoke': { req: { id: string }; res: null }
  'ui:networks': { req: undefined; res: NetworksView }
  'ui:saveNetwork': { req: NetworkSettings; res: NetworksView }
  'ui:removeNetwork': { req: { id: string }; res: NetworksView }
  'ui:switchNetwork': { req: { id: string }; res: NetworksView }
  'ui:checkNetwork': { req: NetworkSettings; res: NetworkCheck[] }
  'ui:refreshDevnet': { req: { manifestUrl: string }; res: NetworksView }
  'ui:seedStatus': { req: undefined; res: SeedStatus }
  'ui:deploySeed': { req: undefined; res: SeedStatus }
  'ui:agents': { req: undefined; res: AgentsOverview }
  'ui:findAgents': { req: { kind?: string }; res: AgentView[] }
  'ui:bounties': { req: undefined; res: BountiesOverview }
  'ui:postBounty': { req: PostBountyParams; res: BountyPosted }
  'ui:closeBounty': { req: BountyRef; res: BountyClosing }
  'ui:withdrawBounty': { req: BountyRef; res: BountyWithdrawn }
  // The Bridge screen (background/bridge/): withdrawals with their stage now, and the four steps.
  'ui:bridge': { req: undefined; res: BridgeOverview }
  'ui:bridgeDeposit': { req: BridgeTransferParams; res: Sent }
  'ui:bridgeWithdraw': { req: BridgeTransferParams; res: WithdrawalView }
  'ui:bridgeProve': { req: { withdrawalHash: Hex }; res: WithdrawalStep }
  'ui:bridgeFinalize': { req: { withdrawalHash: Hex }; res: WithdrawalStep }
  // The scripting console (side panel) and the sandbox host (offscreen document).
  /** `runId` from the caller, so a re-sent request is the same run. */
  'ui:runScript': { req: Omit<ScriptRunRequest, 'trigger'>; res: { runId: string } }
  'ui:stopScript': { req: { runId: string }; res: { stopped: boolean } }
  'ui:triggersChanged': { req: undefined; res: null }
  'script:call': { req: { runId: string; scriptId?: string; method: string; args: unknown[] }; res: unknown }
  'script:events': {
    req: { topics: EventTopic[]; cursor?: number; waitMs: number }
    res: { cursor: number; events: AgentEvent[] }
  }
}

/** The background's messages for the scripting console (served by background/scripts/ui.ts). */
export type ConsoleMessage = 'ui:runScript' | 'ui:stopScript' | 'ui:triggersChanged' | 'script:call' | 'script:events'

/** A pairing as the popup lists it: its grant with what is left, and whether its bridge is connected. */
export type PairingView = Pairing & { connected: boolean; leftEth: string; leftUsd: string }

export type ContentProtocol = {
  event: { req: { origin: string; event: string; data: unknown }; res: null }
}

export type OffscreenProtocol = {
  'rollup:request': { req: { method: string; params?: readonly unknown[] }; res: unknown }
  'rollup:ping': { req: undefined; res: { ready: boolean } }
  'rollup:configureBatcher': { req: BatcherSetup; res: BatchingState }
  'rollup:batching': { req: undefined; res: BatchingState }
  /** The file's bytes as hex (extension messages are JSON). */
  'rollup:publishFile': { req: { hex: Hex }; res: PublishedFile }
  /** The replicas' multiaddrs the Worker dials to gossip its unsafe blocks (issue 17). */
  'rollup:gossipPeers': { req: { peers: string[] }; res: GossipState }
  'rollup:gossip': { req: undefined; res: GossipState }
  /** The deposit feed: the head's L1 origin and the deposits included (rollup/deposits.ts). */
  'rollup:deposits': { req: undefined; res: DepositsState }
  /** The output watch: outputs on the agent's inbox the Worker's derivation does not reproduce (rollup/output-watch.ts). */
  'rollup:outputs': { req: undefined; res: OwnOutputsState }
  'script:run': { req: ScriptRunRequest; res: { runId: string } }
  'script:stop': { req: { runId: string }; res: { stopped: boolean } }
}
