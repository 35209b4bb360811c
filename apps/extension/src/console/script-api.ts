/**
 * What a script sees: the capability API's globals, as types. This file is also the source of the
 * console's completion (parsed from its text, see api-surface.ts) and of the sandbox's namespaces,
 * so the editor, the VM and the type check of examples/ cannot disagree. Keep one member per line,
 * each after a one-line doc comment.
 */
export type Address = `0x${string}`
export type Hex = `0x${string}`
export type Chain = 'l1' | 'rollup'

export type Addresses = { smartAccount: Address; rollupAccount: Address }
export type Balances = { l1?: { eth: string; usd?: string; token?: string }; l2?: { eth: string }; error?: string }
/** An amount in ether (decimal string, "0.01"), or wei as a bigint. */
export type Amount = string | bigint
export type Call = { to: Address; value?: Amount; data?: Hex }
export type SentCalls = { chain: Chain; hash: Hex; status: 'success' | 'reverted' | 'pending' }
export type RollupStatus = { chainId: number; head: number; pending: number; lastBatch?: { l1TxHash: string | null; cid: string | null } }
export type PaidResponse = { status: number; headers: Record<string, string>; body: string; paid?: { amount: string; network: string; tx?: string } }
export type PolicyLimits = { perTxEth: string; dailyEth: string; perTxUsd: string; dailyUsd: string; frozen: boolean }
export type PolicyLeft = { ethToday: string; usdToday: string; spentEthToday: string; spentUsdToday: string }
/** Why this run started: a person pressing Run, a schedule, or an event. */
export type TriggerEvent =
  | { kind: 'manual' }
  | { kind: 'schedule'; at: number }
  | { kind: 'block'; number: number; baseFeeGwei: string }
  | { kind: 'baseFee'; number: number; baseFeeGwei: string; aboveGwei: string }
  | { kind: 'payment'; chain: Chain; asset: string; amount: string }
  | { kind: 'batch'; l1TxHash: string | null; cid: string | null }

export interface ScriptGlobals {
  wallet: {
    /** The agent's smart account (L1) and rollup account. */
    addresses(): Promise<Addresses>
    /** ETH and token balances on L1 and the rollup. */
    balances(): Promise<Balances>
    /** Sends calls from the smart account (L1, one user op) or the rollup account, under the policy. */
    sendCalls(params: { chain: Chain; calls: Call[] }): Promise<SentCalls>
  }
  rollup: {
    /** The agent's rollup: chain id, head, pending txs, last batch. */
    status(): Promise<RollupStatus>
    /** Sends ETH or a call on the rollup, under the policy. */
    send(params: Call): Promise<SentCalls>
    /** Deploys a contract on the rollup; resolves with its address. */
    deploy(params: { bytecode: Hex; value?: Amount }): Promise<{ address: Address; hash: Hex }>
    /** A read-only call on the rollup (eth_call). */
    call(params: { to: Address; data: Hex }): Promise<Hex>
  }
  x402: {
    /** fetch() that pays a 402 answer from the wallet, under the policy; the receipt lands in Activity. */
    fetch(url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<PaidResponse>
  }
  policy: {
    /** The wallet's limits for this script. */
    limits(): Promise<PolicyLimits>
    /** What is left of today's budgets. */
    left(): Promise<PolicyLeft>
  }
  /** Writes to the run's output log. */
  log(...values: unknown[]): void
  /** Waits (costs no CPU time). */
  sleep(ms: number): Promise<void>
  /** Why this run started. */
  trigger: TriggerEvent
}
