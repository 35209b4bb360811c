/**
 * The capability API: everything an agent (a paired program, an MCP client, a console script) may ask
 * the wallet, as one typed table of methods. Types only, so a script's editor, the Node client and the
 * dispatcher share them without pulling in the background. Amounts are decimal strings (ETH in ether,
 * USDS in dollars) or hex wei where a raw EVM value is meant; no bigint crosses a JSON hop.
 *
 * Nothing here holds a key, touches `chrome.*` or the network: the dispatcher (dispatch.ts) does, and
 * every call that moves value or signs goes through the wallet's one action pipeline with the caller
 * named (`agent:<pairing name>`, `script:<id>`), so Activity and the approval window say who asked.
 */
import type { Address, Hex } from 'viem'

/** Which chain a call is for: the L1 devnet (the smart account) or the agent's rollup (its rollup account). */
export type ChainName = 'l1' | 'rollup'

export type CallRequest = { to: Address; value?: Hex; data?: Hex }

export type Addresses = {
  /** The ERC-4337 SeedAccount on L1 (sends and ERC-1271 signatures). */
  smartAccount: Address
  /** The agent's account on its own rollup. */
  rollupAccount: Address
  l1ChainId: number
  rollupChainId: number
}

export type Balances = {
  l1: { eth: string; usd: string }
  rollup: { eth: string; usd: string } | { error: string }
}

/** What a send produced: the transaction on its chain (a user op's bundle tx on L1). */
export type Sent = { chain: ChainName; hash: Hex; userOpHash?: Hex }

export type RollupStatusView = {
  chainId: number
  head: number
  pendingTxs: number
  batches: number
  lastBatch?: { blobTxHash: Hex; cid?: string; l2BlockEnd?: number }
}

export type BatchView = { index?: number; blobTxHash: Hex; cid?: string; l2BlockEnd?: number; at?: number }

/** An x402 fetch's result: the body as text (the API is JSON-only), and the receipt when it paid. */
export type FetchResult = {
  status: number
  headers: Record<string, string>
  body: string
  payment?: { network: string; transaction?: string; payer?: string; amount: string; asset: string; payTo: string }
}

export type FetchInit = { method?: string; headers?: Record<string, string>; body?: string }

/** What this caller may still do: the wallet's own limits and, for a paired agent, its grant. */
export type PolicyView = {
  caller: string
  wallet: {
    frozen: boolean
    perTxEth: string
    dailyEth: string
    spentTodayEth: string
    perTxUsd: string
    dailyUsd: string
    spentTodayUsd: string
  }
  grant?: GrantView
}

export type GrantView = {
  budgetEth: string
  budgetUsd: string
  spentEth: string
  spentUsd: string
  leftEth: string
  leftUsd: string
  /** Empty: any target the wallet's policy allows. */
  allowedTargets: Address[]
  expiresAt: number
  /** Sends above these need the person's approval in the popup; below, they run at once. */
  approvalAboveEth: string
  approvalAboveUsd: string
}

export type ActivityView = { at: number; by: string; chainId: number; summary: string; status: string; hash?: Hex }[]

export type EventTopic = 'l1Block' | 'baseFee' | 'incomingPayment' | 'batchPosted'

export type AgentEvent =
  | { topic: 'l1Block'; number: number; baseFeeGwei: string }
  | { topic: 'baseFee'; number: number; baseFeeGwei: string }
  | { topic: 'incomingPayment'; chain: ChainName; asset: 'eth' | 'usd'; amount: string; balance: string }
  | { topic: 'batchPosted'; blobTxHash: Hex; cid?: string; l2BlockEnd?: number }

/** An ERC-8004 agent as the wallet found it on the network's identity registry, and whether it checks out. */
export type AgentView = {
  agentId: string
  owner: Address
  agentURI: string
  /** Where the agent is paid (proven to the registry); the zero address when cleared by a transfer. */
  agentWallet: Address
  name?: string
  services?: { name: string; endpoint: string; version?: string }[]
  x402Support?: boolean
  /** Its file matches the agentURI's CID and names this agent, and its wallet is proven. */
  verified: boolean
  /** Why it is not verified (empty when it is). */
  problems: string[]
}

/** One feedback entry, with whether its proof of payment checked out on chain. */
export type FeedbackView = {
  agentId: string
  clientAddress: Address
  feedbackIndex: string
  /** The value in decimal (value / 10^valueDecimals). */
  value: string
  tag1: string
  tag2: string
  feedbackURI: string
  revoked: boolean
  paid: boolean
  unpaidReason?: string
  responses: number
}

/** An agent's feedback: every entry, the mean of all, and the mean of the paid ones (what the wallet trusts). */
export type ReputationView = {
  agentId: string
  all: { count: number; value: string }
  paid: { count: number; value: string }
  entries: FeedbackView[]
}

/** What the wallet's own agent publishes: its name, and services beyond its rollup's inbox (added always). */
export type RegisterAgentParams = {
  name: string
  description?: string
  /** E.g. `{ name: 'rollup-rpc', endpoint }` for a replica's RPC, `{ name: 'x402', endpoint }` for a paid API. */
  services?: { name: string; endpoint: string }[]
}

/** The wallet's agent once registered: its id, the `ipfs://` URI of its file, and the two L1 transactions. */
export type AgentRegistered = { agentId: string; agentURI: string; cid: string; registerTx?: Hex; updateTx: Hex }

/** Feedback the wallet gives an agent: `value / 10^valueDecimals`; `paymentTx` proves it paid the agent first. */
export type FeedbackParams = {
  agentId: string
  value: number
  valueDecimals?: number
  tag1?: string
  tag2?: string
  endpoint?: string
  /** The settlement transaction of the purchase (`x402.fetch`'s `payment.transaction`): checked, then cited. */
  paymentTx?: Hex
}

export type FeedbackGiven = { agentId: string; feedbackIndex: string; feedbackURI: string; paid: boolean; tx: Hex }

/** The wallet's answer to one feedback entry (`clientAddress`'s `feedbackIndex`-th on `agentId`). */
export type ResponseParams = { agentId: string; clientAddress: Address; feedbackIndex: string; response: string }

export type ResponseAppended = { responseURI: string; tx: Hex }

/**
 * A bounty the wallet posts to Seed's escrow (decision 0802) for its own chain: `funds` (Seed USD, decimal)
 * split into `maxOperators` equal slots, each paid `pricePerEpoch` per `epochSeconds` while its probes pass.
 */
export type PostBountyParams = {
  kind: 'replica' | 'verify' | 'pin'
  pricePerEpoch: string
  epochSeconds: number
  maxOperators: number
  funds: string
}

export type BountyPosted = { bountyId: string; escrow: Address; tx: Hex }

/** One of the bounties this wallet posted. */
export type BountyRef = { bountyId: string }

/** The close is requested (one L1 send): the slots can be withdrawn from `withdrawableAt` (ms since 1970). */
export type BountyClosing = { bountyId: string; tx: Hex; withdrawableAt: number }

/** Withdrawn (one L1 send): what came back to the smart account, in Seed USD (a refund, not a spend). */
export type BountyWithdrawn = { bountyId: string; tx: Hex; refunded: string }

/** What crosses the bridge: ETH, or Seed USD (its L2 twin on the rollup). */
export type BridgeAsset = 'eth' | 'usd'

/** A deposit or withdrawal: `amount` in ether or dollars (decimal string). */
export type BridgeTransferParams = { asset: BridgeAsset; amount: string }

/** Where a withdrawal stands, in the order it moves (challenged / output-invalidated: blocked until resolved). */
export type WithdrawalStage =
  | 'initiated'
  | 'output-posted'
  | 'proven'
  | 'finalizable'
  | 'finalized'
  | 'challenged'
  | 'output-invalidated'

/** One withdrawal as the wallet keeps it (durable) with its status read from L1 now. */
export type WithdrawalView = {
  withdrawalHash: Hex
  asset: BridgeAsset
  /** In ether or dollars. */
  amount: string
  /** Who receives it on L1 (the smart account). */
  to: Address
  l2Tx: Hex
  l2Block: number
  stage: WithdrawalStage
  /** The batch whose output covers it, once one is posted. */
  outputIndex?: number
  /** Unix seconds (L1's clock): when the challenge window of the proven output closes. */
  finalizableAt?: number
  /** While proven: seconds of the window left by L1's latest block when this was read (the countdown's start). */
  secondsLeft?: number
  proveTx?: Hex
  finalizeTx?: Hex
  /** Why it cannot move on now, when it cannot (e.g. the chain has no bridge config yet). */
  problem?: string
  /** Each stage reached, with when the wallet saw it (unix ms). */
  timeline: { stage: WithdrawalStage; at: number }[]
}

/** A withdrawal's proof or finalization: the L1 transaction and where the withdrawal stands now. */
export type WithdrawalStep = { hash: Hex; withdrawal: WithdrawalView }

/** Every method: its params and its result. The dispatcher's table has exactly these keys. */
export type Capabilities = {
  /** The smart account, the rollup account and both chain ids. */
  'wallet.addresses': { params: undefined; result: Addresses }
  /** ETH and Seed USD of the smart account on L1 and of the rollup account on the agent's rollup. */
  'wallet.balances': { params: undefined; result: Balances }
  /** One atomic user op on L1; on the rollup, one tx per call (in order). */
  'wallet.sendCalls': { params: { chain: ChainName; calls: CallRequest[] }; result: Sent[] }
  /** EIP-712 signature: the smart account's (ERC-1271) on L1, the rollup account's on the rollup. */
  'wallet.signTypedData': { params: { chain: ChainName; typedData: unknown }; result: { signature: Hex } }
  /** The agent's rollup: head, pending transactions, batches posted to L1. */
  'rollup.status': { params: undefined; result: RollupStatusView }
  /** One transaction from the rollup account (value and/or call data). */
  'rollup.send': { params: CallRequest; result: Sent }
  /** Deploys `bytecode` (creation code, constructor args appended) from the rollup account. */
  'rollup.deploy': { params: { bytecode: Hex; value?: Hex }; result: Sent & { address: Address } }
  /** A read-only call on the rollup (eth_call). */
  'rollup.call': { params: { to: Address; data: Hex }; result: { data: Hex } }
  /** The batches the agent's batcher posted to its L1 inbox, newest first. */
  'rollup.batches': { params: undefined; result: BatchView[] }
  /** Fetches `url`; on a 402, pays on an accepted network the wallet can pay (L1 or rollup), under the policy. */
  'x402.fetch': { params: { url: string; init?: FetchInit }; result: FetchResult }
  /** The wallet's limits and what is spent today, and this caller's grant with what is left. */
  'policy.get': { params: undefined; result: PolicyView }
  /** The wallet's newest activity (default 20, at most 100), each with who asked for it. */
  'activity.list': { params: { limit?: number } | undefined; result: ActivityView }
  /** Events since `cursor` (long poll up to `waitMs`): subscriptions are the transport's (see events.ts). */
  'events.poll': {
    params: { topics: EventTopic[]; cursor?: number; waitMs?: number }
    result: { cursor: number; events: AgentEvent[] }
  }
  /**
   * Registers the wallet's smart account as an ERC-8004 agent (or updates its file): the registration file
   * on IPFS (batching must be set up), agentURI = its CID, the account proven as the agent's wallet (ERC-1271).
   * Two L1 sends under the policy.
   */
  'agents.register': { params: RegisterAgentParams; result: AgentRegistered }
  /** Gives an agent feedback (file on IPFS, with the proof of payment when `paymentTx` is given); one L1 send. */
  'agents.feedback': { params: FeedbackParams; result: FeedbackGiven }
  /** Answers a feedback entry (e.g. as the seller): the response on IPFS, `appendResponse` in one L1 send. */
  'agents.respond': { params: ResponseParams; result: ResponseAppended }
  /** ERC-8004 agents offering a service of `kind` (e.g. "rollup-rpc", "x402", "MCP"; all when absent), checked. */
  'agents.find': { params: { kind?: string } | undefined; result: AgentView[] }
  /** An agent's feedback; its summary counts only feedback backed by a verified payment. */
  'agents.summary': { params: { agentId: string }; result: ReputationView }
  /**
   * Posts a bounty for the wallet's chain (approve + post in one L1 send under the policy: the funds are a
   * spend of Seed USD); the wallet then probes each operator that joins and pays it per epoch while it holds.
   */
  'bounties.post': { params: PostBountyParams; result: BountyPosted }
  /** Requests the close of a bounty this wallet posted: operators claim their last vouchers for an hour, no new epoch is paid after it. */
  'bounties.close': { params: BountyRef; result: BountyClosing }
  /** After the close delay: the unclaimed allotments and unjoined slots come back to the smart account. */
  'bounties.withdraw': { params: BountyRef; result: BountyWithdrawn }
  /** Deposits ETH or Seed USD from the smart account into the agent's rollup (one L1 send under the policy). */
  'bridge.deposit': { params: BridgeTransferParams; result: Sent }
  /** Withdraws ETH or Seed USD from the rollup account to the smart account (one rollup send); prove it next. */
  'bridge.withdraw': { params: BridgeTransferParams; result: WithdrawalView }
  /** Proves a withdrawal on L1 once a posted output covers it (one L1 send); the challenge window starts. */
  'bridge.prove': { params: { withdrawalHash: Hex }; result: WithdrawalStep }
  /** Finalizes a proven withdrawal after the challenge window (one L1 send): the value reaches L1. */
  'bridge.finalize': { params: { withdrawalHash: Hex }; result: WithdrawalStep }
  /** The wallet's withdrawals, newest first, each with its stage read from L1 now and its countdown's end. */
  'bridge.status': { params: undefined; result: WithdrawalView[] }
  /** A line in the caller's log (the console's output, the pairing's log in the popup). */
  log: { params: { level?: 'info' | 'warn' | 'error'; message: string }; result: null }
  /** Waits `ms` (at most 60 s). */
  sleep: { params: { ms: number }; result: null }
}

export type CapabilityMethod = keyof Capabilities
export type ParamsOf<M extends CapabilityMethod> = Capabilities[M]['params']
export type ResultOf<M extends CapabilityMethod> = Capabilities[M]['result']

/** Who is calling: a paired external agent (by its pairing id) or a console script (by its id). */
export type Caller = { kind: 'agent'; pairingId: string } | { kind: 'script'; scriptId: string; name?: string }

/**
 * The API as a script sees it (the console and the Node client build this object over `invoke`).
 * `events.subscribe` is built over `events.poll`.
 */
export type SeedAgentApi = {
  wallet: {
    addresses(): Promise<Addresses>
    balances(): Promise<Balances>
    sendCalls(params: ParamsOf<'wallet.sendCalls'>): Promise<Sent[]>
    signTypedData(params: ParamsOf<'wallet.signTypedData'>): Promise<{ signature: Hex }>
  }
  rollup: {
    status(): Promise<RollupStatusView>
    send(call: CallRequest): Promise<Sent>
    deploy(params: ParamsOf<'rollup.deploy'>): Promise<ResultOf<'rollup.deploy'>>
    call(params: ParamsOf<'rollup.call'>): Promise<{ data: Hex }>
    batches(): Promise<BatchView[]>
  }
  x402: { fetch(url: string, init?: FetchInit): Promise<FetchResult> }
  policy: { get(): Promise<PolicyView> }
  activity: { list(params?: { limit?: number }): Promise<ActivityView> }
  agents: {
    register(params: RegisterAgentParams): Promise<AgentRegistered>
    feedback(params: FeedbackParams): Promise<FeedbackGiven>
    respond(params: ResponseParams): Promise<ResponseAppended>
    find(params?: { kind?: string }): Promise<AgentView[]>
    summary(params: { agentId: string }): Promise<ReputationView>
  }
  bounties: {
    post(params: PostBountyParams): Promise<BountyPosted>
    close(params: BountyRef): Promise<BountyClosing>
    withdraw(params: BountyRef): Promise<BountyWithdrawn>
  }
  bridge: {
    deposit(params: BridgeTransferParams): Promise<Sent>
    withdraw(params: BridgeTransferParams): Promise<WithdrawalView>
    prove(params: { withdrawalHash: Hex }): Promise<WithdrawalStep>
    finalize(params: { withdrawalHash: Hex }): Promise<WithdrawalStep>
    status(): Promise<WithdrawalView[]>
  }
  events: { subscribe(topics: EventTopic[], listener: (event: AgentEvent) => void): () => void }
  log(message: string, level?: 'info' | 'warn' | 'error'): Promise<null>
  sleep(ms: number): Promise<null>
}
