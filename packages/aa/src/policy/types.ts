import type { Address, Hex } from 'viem'
import type { PolicyCall } from './decodeSpend.ts'

/** Amount limits keyed by 'eth' or a lower-case ERC-20 address. */
export type AmountLimits = Record<string, bigint>

export type Policy = {
  /** Max spend in a single action, per asset. */
  perTxCap?: AmountLimits
  /** Max spend per rolling period, per asset. */
  budgets?: { asset: 'eth' | Address; limit: bigint; periodSeconds: number }[]
  /** If set, only these targets may be called. */
  allowTargets?: Address[]
  denyTargets?: Address[]
  /** If set, only these selectors (plain ETH transfer = 0x00000000). */
  allowSelectors?: Hex[]
  denySelectors?: Hex[]
  /** At most `max` allowed actions per `windowSeconds`. */
  rateLimit?: { max: number; windowSeconds: number }
  /** Spend above these (per asset, per action) needs a human: verdict `needs-approval`. */
  approvalAbove?: AmountLimits
}

export type Action = {
  /** Who asked (agent task id, MCP tool, dapp origin…): recorded in the audit log. */
  requestedBy: string
  account: Address
  calls: PolicyCall[]
  /** Free text for the audit log / approval UI. */
  note?: string
}

export type ReasonCode =
  | 'frozen'
  | 'target-denied'
  | 'target-not-allowed'
  | 'selector-denied'
  | 'selector-not-allowed'
  | 'per-tx-cap'
  | 'budget'
  | 'rate-limit'
  | 'needs-approval'
  | 'empty'

export type Reason = { code: ReasonCode; message: string; asset?: string; target?: Address; selector?: Hex }

export type Verdict = { decision: 'allow' | 'deny' | 'needs-approval'; reasons: Reason[] }

/** Mutable bookkeeping the engine reads (pure functions return a new one). JSON-safe: amounts as strings. */
export type PolicyState = {
  frozen: boolean
  frozenReason?: string
  /** asset → spend per budget period start. */
  spent: Record<string, { periodStart: number; amount: string }>
  /** Timestamps (ms) of recent allowed actions, for the rate limit. */
  recent: number[]
}

export const initialPolicyState = (): PolicyState => ({ frozen: false, spent: {}, recent: [] })

export type { PolicyCall }
