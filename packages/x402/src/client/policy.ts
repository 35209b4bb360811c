/**
 * The agent's spending guardrails for x402 payments: a per-request cap, a budget per period, allowlisted
 * payees and hosts, and human approval above a threshold. Every payment the paying fetch makes is checked
 * here first (before anything is signed), and its amount is reserved against the budget: given back when
 * nothing was signed, kept once an authorisation was handed over (until it expired unused, handedOver.ts). Budget state lives in a KeyValueStorage so it survives restarts.
 */
import type { KeyValueStorage } from '@seed/aa'
import { type Address, getAddress } from 'viem'

export type PaymentIntent = {
  url: string
  payTo: Address
  asset: Address
  amount: bigint
  network: string
}

export type PaymentRules = {
  /** Largest single payment (asset base units). */
  perRequestCap: bigint
  /** Total spend allowed per period. */
  budget: { amount: bigint; periodSeconds: number }
  /** When set, only these payees may be paid. */
  allowedPayees?: readonly Address[]
  /** When set, only these hosts (`host[:port]`) may be paid. */
  allowedHosts?: readonly string[]
  /** When set, only these assets may be spent. */
  allowedAssets?: readonly Address[]
  /** Payments strictly above this amount need `approve` to say yes. */
  approvalThreshold?: bigint
  /** Asks the human; no callback = refuse anything above the threshold. */
  approve?: (intent: PaymentIntent) => Promise<boolean>
}

export type PolicyDecision = { allowed: true } | { allowed: false; reason: string }

export type PaymentPolicyEngine = {
  /** Checks the rules and, if allowed, reserves the amount against the period's budget. */
  authorize(intent: PaymentIntent): Promise<PolicyDecision>
  /** Gives a reservation back (nothing was signed, or the authorisation expired unused: no funds moved). */
  release(intent: PaymentIntent): Promise<void>
  /** Spent (incl. reserved) in the current period. */
  spent(now?: number): Promise<bigint>
}

type BudgetState = { periodStart: number; spent: string }

export function createPaymentPolicy(
  rules: PaymentRules,
  options: { storage: KeyValueStorage; key?: string; now?: () => number },
): PaymentPolicyEngine {
  const key = options.key ?? 'x402/policy/budget'
  const now = options.now ?? (() => Date.now())
  const periodMs = rules.budget.periodSeconds * 1000
  const payees = rules.allowedPayees?.map((a) => getAddress(a))
  const assets = rules.allowedAssets?.map((a) => getAddress(a))
  // Serialises read-modify-write of the budget so concurrent payments cannot both fit in the last dollar.
  let queue: Promise<unknown> = Promise.resolve()
  const locked = <T>(fn: () => Promise<T>) => {
    const run = queue.then(fn, fn)
    queue = run.catch(() => undefined)
    return run
  }
  const load = async (at: number): Promise<BudgetState> => {
    const periodStart = Math.floor(at / periodMs) * periodMs
    const state = await options.storage.get<BudgetState>(key)
    return state && state.periodStart === periodStart ? state : { periodStart, spent: '0' }
  }

  return {
    authorize: (intent) =>
      locked(async (): Promise<PolicyDecision> => {
        if (intent.amount > rules.perRequestCap) {
          return {
            allowed: false,
            reason: `amount ${intent.amount} exceeds the per-request cap ${rules.perRequestCap}`,
          }
        }
        if (payees && !payees.includes(getAddress(intent.payTo))) {
          return { allowed: false, reason: `payee ${intent.payTo} is not allowlisted` }
        }
        const host = new URL(intent.url).host
        if (rules.allowedHosts && !rules.allowedHosts.includes(host)) {
          return { allowed: false, reason: `host ${host} is not allowlisted` }
        }
        if (assets && !assets.includes(getAddress(intent.asset))) {
          return { allowed: false, reason: `asset ${intent.asset} is not allowlisted` }
        }
        const state = await load(now())
        const spent = BigInt(state.spent)
        if (spent + intent.amount > rules.budget.amount) {
          return {
            allowed: false,
            reason: `over budget: ${spent} spent + ${intent.amount} > ${rules.budget.amount} per ${rules.budget.periodSeconds} s`,
          }
        }
        if (rules.approvalThreshold !== undefined && intent.amount > rules.approvalThreshold) {
          const approved = rules.approve ? await rules.approve(intent) : false
          if (!approved)
            return { allowed: false, reason: `amount ${intent.amount} needs approval and was not approved` }
        }
        await options.storage.set(key, { ...state, spent: (spent + intent.amount).toString() })
        return { allowed: true }
      }),
    release: (intent) =>
      locked(async () => {
        const state = await load(now())
        const spent = BigInt(state.spent) - intent.amount
        await options.storage.set(key, { ...state, spent: (spent < 0n ? 0n : spent).toString() })
      }),
    spent: async (at) => BigInt((await load(at ?? now())).spent),
  }
}
