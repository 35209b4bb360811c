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
  /**
   * Tokens that count as another asset: lower-case token address → the asset key whose caps, budgets and
   * approval thresholds apply (a rollup's L2 twin of Seed USD counts as Seed USD: one budget for both).
   */
  sameAsset?: Record<string, string>
  /** Spend above these (per asset, per action) needs a human: verdict `needs-approval`. */
  approvalAbove?: AmountLimits
  /** EIP-712 primary types the account may sign without a spend mapping (default: none; 'any': all of them). */
  allowSignTypes?: string[] | 'any'
  /** Whether plain personal_sign messages may be signed (default: false). */
  allowMessageSigning?: boolean
  /**
   * Whether a 32-byte personal_sign "message" may be signed (default: false): 32 bytes is what a hash
   * looks like, and a signed hash can authorise anything the key controls.
   */
  allowHashSigning?: boolean
  /**
   * EIP-712 primary types the wallet cannot decode but that look like they move value (Permit2,
   * orders, anything with spender/amount/value fields) and may still be signed (default: none).
   */
  allowSpendingSignTypes?: string[]
  /**
   * Calls to the account's own admin functions (ownership, session keys, paymasters, upgrades,
   * deposit withdrawals): denied unless the wallet's own settings flow sets this for that one action.
   */
  allowAdminCalls?: boolean
  /** Refuse user ops whose bundler-proposed gas or fees are above these. */
  feeCaps?: { maxGas: bigint; maxFeePerGas: bigint }
}

export type Action = {
  /** Who asked (agent task id, MCP tool, dapp origin…): recorded in the audit log. */
  requestedBy: string
  account: Address
  calls: PolicyCall[]
  /** Free text for the audit log / approval UI. */
  note?: string
  /** Set when the action is a signature: `calls` then hold what the signature authorises (may be empty). */
  signature?: TypedDataSignature | { kind: 'message' /** Byte length of the message. */; length?: number }
  /**
   * The user op's gas as the bundler proposed it: `gas` is every gas limit summed (call, verification,
   * preVerificationGas, paymaster), so `gas × maxFeePerGas` is the most the op can cost in fees.
   */
  fee?: { gas: bigint; maxFeePerGas: bigint }
  /** What the op really paid in fees, once it landed: replaces the maximum when the spend is settled. */
  feePaid?: bigint
  /**
   * The amounts were counted against the budgets when the funds were committed (a bounty's escrow deposit,
   * decision 0802): caps and the approval threshold still apply, the budgets do not count them a second time.
   */
  committed?: boolean
}

export type TypedDataSignature = {
  kind: 'typedData'
  primaryType: string
  /** The domain is one of the wallet's own (account, EntryPoint, Seed contracts): never signed for a page. */
  protectedDomain?: boolean
  /** Looks like it moves value but decodes to no known spend (Permit2, orders, unknown spender/amount). */
  undecodedSpend?: boolean
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
  | 'signature-not-allowed'
  | 'hash-signing'
  | 'undecoded-spend-signature'
  | 'protected-domain'
  | 'admin-call'
  | 'undecodable-self-call'
  | 'fee-cap'
  | 'empty'

export type Reason = { code: ReasonCode; message: string; asset?: string; target?: Address; selector?: Hex }

export type Verdict = { decision: 'allow' | 'deny' | 'needs-approval'; reasons: Reason[] }

/**
 * One allowed action in the rolling log: what it spends and when. A
 * `reserved` entry is an action on its way (approval, signing, bundler); it counts like a settled
 * one, so concurrent actions cannot both fit the same remaining budget, and is released if the
 * action fails or is rejected.
 */
export type LedgerEntry = {
  id: string
  at: number
  /** What the action moves: asset ('eth' or a lower-cased token) → decimal string. */
  amounts: Record<string, string>
  /** Its user op's fee in wei (the maximum while reserved, what it paid once settled): counts against ETH. */
  fee?: string
  status: 'reserved' | 'settled'
}

/** The bookkeeping the engine reads (pure functions return a new one). JSON-safe: amounts as strings. */
export type PolicyState = {
  frozen: boolean
  frozenReason?: string
  /** Every action of the longest budget / rate window, oldest first: budgets sum it over their rolling period. */
  ledger: LedgerEntry[]
}
export const initialPolicyState = (): PolicyState => ({ frozen: false, ledger: [] })

export type { PolicyCall }
