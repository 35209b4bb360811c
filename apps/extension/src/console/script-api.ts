/**
 * What a script sees: the capability API (background/agent/api.ts) as globals, plus `log`, `sleep`
 * and `trigger`. This file is also the source of the console's completion (parsed from its text,
 * see api-surface.ts) and of the sandbox's namespaces, so the editor, the VM and the type check of
 * examples/ cannot disagree; the check at the bottom keeps it in step with `SeedAgentApi`. Keep one
 * member per line, each after a one-line doc comment.
 */
import type {
  ActivityView,
  Addresses,
  AgentEvent,
  AgentRegistered,
  AgentView,
  Balances,
  BatchView,
  BountyClosing,
  BountyPosted,
  BountyRef,
  BountyWithdrawn,
  BridgeTransferParams,
  CallRequest,
  ChainName,
  EventTopic,
  FeedbackGiven,
  FeedbackParams,
  FetchInit,
  FetchResult,
  PolicyView,
  PostBountyParams,
  RegisterAgentParams,
  ReputationView,
  ResponseAppended,
  ResponseParams,
  RollupStatusView,
  SeedAgentApi,
  Sent,
  WithdrawalStep,
  WithdrawalView,
} from '@seed/agent/api'

export type * from '@seed/agent/api'

type Address = `0x${string}`
type Hex = `0x${string}`

/** Why this run started: a person pressing Run, a schedule, or an event trigger. */
export type TriggerEvent = { kind: 'manual' } | { kind: 'schedule'; at: number } | { kind: 'event'; event: AgentEvent }

export interface ScriptGlobals {
  wallet: {
    /** The agent's smart account (L1) and rollup account, with both chain ids. */
    addresses(): Promise<Addresses>
    /** ETH and USDS on L1 and on the rollup. */
    balances(): Promise<Balances>
    /** Sends calls (value in hex wei): one user op on L1, or one rollup tx per call; under the policy. */
    sendCalls(params: { chain: ChainName; calls: CallRequest[] }): Promise<Sent[]>
    /** Signs EIP-712 typed data (the smart account's ERC-1271 signature on L1). */
    signTypedData(params: { chain: ChainName; typedData: unknown }): Promise<{ signature: Hex }>
  }
  rollup: {
    /** The agent's rollup: chain id, head, pending txs, batches posted, the last batch. */
    status(): Promise<RollupStatusView>
    /** Sends ETH (hex wei) or a call on the rollup, under the policy. */
    send(call: CallRequest): Promise<Sent>
    /** Deploys creation code (constructor args appended) from the rollup account. */
    deploy(params: { bytecode: Hex; value?: Hex }): Promise<Sent & { address: Address }>
    /** A read-only call on the rollup (eth_call). */
    call(params: { to: Address; data: Hex }): Promise<{ data: Hex }>
    /** The batches posted to L1 (blob tx, IPFS CID, last L2 block). */
    batches(): Promise<BatchView[]>
  }
  x402: {
    /** fetch() that pays a 402 from the wallet (L1 or rollup), under the policy; receipts in Activity. */
    fetch(url: string, init?: FetchInit): Promise<FetchResult>
  }
  policy: {
    /** The wallet's limits and what is spent today. */
    get(): Promise<PolicyView>
  }
  activity: {
    /** The wallet's recent activity, newest first. */
    list(params?: { limit?: number }): Promise<ActivityView>
  }
  agents: {
    /** Registers this wallet as an ERC-8004 agent (file on IPFS, wallet proven); batching must be on. */
    register(params: RegisterAgentParams): Promise<AgentRegistered>
    /** Gives an agent feedback; with paymentTx (from x402.fetch) it carries a checked proof of payment. */
    feedback(params: FeedbackParams): Promise<FeedbackGiven>
    /** Answers one feedback entry (as the seller): the response file on IPFS, appendResponse on L1. */
    respond(params: ResponseParams): Promise<ResponseAppended>
    /** ERC-8004 agents offering a service of this kind (all when absent), each verified or not. */
    find(params?: { kind?: string }): Promise<AgentView[]>
    /** An agent's feedback; the summary counts only feedback backed by a verified payment. */
    summary(params: { agentId: string }): Promise<ReputationView>
  }
  bounties: {
    /** Posts a bounty for this wallet's chain (USD funds split into slots, paid per epoch while probes pass); one L1 send. */
    post(params: PostBountyParams): Promise<BountyPosted>
    /** Requests the close of a bounty this wallet posted; its operators have an hour to claim, then `withdraw`. One L1 send. */
    close(params: BountyRef): Promise<BountyClosing>
    /** After the close delay, takes the bounty's unclaimed funds back to the smart account (a refund); one L1 send. */
    withdraw(params: BountyRef): Promise<BountyWithdrawn>
  }
  bridge: {
    /** Deposits ETH or USD (decimal amount) from the smart account into the rollup account; one L1 send. */
    deposit(params: BridgeTransferParams): Promise<Sent>
    /** Withdraws ETH or USD from the rollup account to the smart account; prove it once an output covers it. */
    withdraw(params: BridgeTransferParams): Promise<WithdrawalView>
    /** Proves a withdrawal on L1 against the posted output covering it; the challenge window starts. */
    prove(params: { withdrawalHash: Hex }): Promise<WithdrawalStep>
    /** Finalizes a proven withdrawal after the challenge window: the value reaches the smart account. */
    finalize(params: { withdrawalHash: Hex }): Promise<WithdrawalStep>
    /** Every withdrawal with its stage now (initiated … finalized) and when its window closes. */
    status(): Promise<WithdrawalView[]>
  }
  events: {
    /** Calls listener for each new event; returns unsubscribe. The run lasts until the script returns. */
    subscribe(topics: EventTopic[], listener: (event: AgentEvent) => void): () => void
  }
  /** Writes values to the run's output log. */
  log(...values: unknown[]): void
  /** Waits without using CPU time. */
  sleep(ms: number): Promise<void>
  /** Why this run started. */
  trigger: TriggerEvent
}

/** The same namespaces and methods as the capability API (a compile error when they drift apart). */
type Namespaces = Omit<ScriptGlobals, 'log' | 'sleep' | 'trigger'>
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false
export const scriptApiInStep: SameKeys<Namespaces, Omit<SeedAgentApi, 'log' | 'sleep'>> &
  { [K in keyof Namespaces]: SameKeys<Namespaces[K], SeedAgentApi[K]> }[keyof Namespaces] = true
