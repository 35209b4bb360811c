/**
 * The guardrail check every action passes before anything is signed. Pure and synchronous: no I/O, so it
 * runs in microseconds and the same code runs in the extension, the agent and tests.
 */
import type { Address } from 'viem'
import { decodeSpend, ETH, selectorOf } from './decodeSpend.ts'
import type { Action, Policy, PolicyState, Reason, Verdict } from './types.ts'

const lower = (xs: readonly string[] | undefined) => (xs ? new Set(xs.map((x) => x.toLowerCase())) : undefined)
type Lists = Record<'allowTargets' | 'denyTargets' | 'allowSelectors' | 'denySelectors', Set<string> | undefined>
/** Lower-cased lookup sets, built once per policy object (policies are treated as immutable). */
const listsCache = new WeakMap<Policy, Lists>()
function listsOf(policy: Policy): Lists {
  let lists = listsCache.get(policy)
  if (!lists) {
    lists = {
      allowTargets: lower(policy.allowTargets),
      denyTargets: lower(policy.denyTargets),
      allowSelectors: lower(policy.allowSelectors),
      denySelectors: lower(policy.denySelectors),
    }
    listsCache.set(policy, lists)
  }
  return lists
}
const fmt = (asset: string, amount: bigint) => `${amount} ${asset === ETH ? 'wei' : `units of ${asset}`}`

function spentInPeriod(state: PolicyState, asset: string, periodSeconds: number, now: number): bigint {
  const entry = state.spent[asset]
  if (!entry || now - entry.periodStart >= periodSeconds * 1000) return 0n
  return BigInt(entry.amount)
}

export function evaluatePolicy(policy: Policy, state: PolicyState, action: Action, now = Date.now()): Verdict {
  if (state.frozen) {
    return {
      decision: 'deny',
      reasons: [{ code: 'frozen', message: `Kill switch on: ${state.frozenReason ?? 'frozen'}` }],
    }
  }
  const deny: Reason[] = []
  if (action.calls.length === 0) deny.push({ code: 'empty', message: 'No calls to run.' })

  const { allowTargets, denyTargets, allowSelectors, denySelectors } = listsOf(policy)
  for (const call of action.calls) {
    const target = call.to.toLowerCase()
    const selector = selectorOf(call.data)
    if (denyTargets?.has(target))
      deny.push({ code: 'target-denied', message: `Target ${call.to} is denylisted.`, target: call.to })
    else if (allowTargets && !allowTargets.has(target)) {
      deny.push({ code: 'target-not-allowed', message: `Target ${call.to} is not on the allowlist.`, target: call.to })
    }
    if (denySelectors?.has(selector)) {
      deny.push({ code: 'selector-denied', message: `Function ${selector} is denylisted.`, selector, target: call.to })
    } else if (allowSelectors && !allowSelectors.has(selector)) {
      deny.push({
        code: 'selector-not-allowed',
        message: `Function ${selector} is not allowed.`,
        selector,
        target: call.to,
      })
    }
  }

  const spend = decodeSpend(action.calls, action.account as Address)
  const amounts = new Map<string, bigint>(spend.tokens)
  if (spend.eth > 0n) amounts.set(ETH, spend.eth)

  for (const [asset, amount] of amounts) {
    const cap = policy.perTxCap?.[asset] ?? policy.perTxCap?.[asset.toLowerCase()]
    if (cap !== undefined && amount > cap) {
      deny.push({ code: 'per-tx-cap', message: `Spends ${fmt(asset, amount)}, per-action cap is ${cap}.`, asset })
    }
  }
  for (const budget of policy.budgets ?? []) {
    const asset = budget.asset.toLowerCase()
    const amount = amounts.get(asset)
    if (!amount) continue
    const spent = spentInPeriod(state, asset, budget.periodSeconds, now)
    if (spent + amount > budget.limit) {
      deny.push({
        code: 'budget',
        message: `Budget: ${fmt(asset, spent)} already spent this ${budget.periodSeconds}s period; +${amount} exceeds ${budget.limit}.`,
        asset,
      })
    }
  }
  if (policy.rateLimit) {
    const since = now - policy.rateLimit.windowSeconds * 1000
    const count = state.recent.filter((t) => t > since).length
    if (count >= policy.rateLimit.max) {
      deny.push({
        code: 'rate-limit',
        message: `Rate limit: ${count} actions in the last ${policy.rateLimit.windowSeconds}s (max ${policy.rateLimit.max}).`,
      })
    }
  }
  if (deny.length) return { decision: 'deny', reasons: deny }

  const approval: Reason[] = []
  for (const [asset, amount] of amounts) {
    const threshold = policy.approvalAbove?.[asset]
    if (threshold !== undefined && amount > threshold) {
      approval.push({
        code: 'needs-approval',
        message: `Spends ${fmt(asset, amount)}, above the ${threshold} approval threshold.`,
        asset,
      })
    }
  }
  if (approval.length) return { decision: 'needs-approval', reasons: approval }
  return { decision: 'allow', reasons: [] }
}

/** The state after `action` ran: spend added to each budget period, timestamp added for the rate limit. */
export function recordAction(policy: Policy, state: PolicyState, action: Action, now = Date.now()): PolicyState {
  const spend = decodeSpend(action.calls, action.account)
  const amounts = new Map<string, bigint>(spend.tokens)
  if (spend.eth > 0n) amounts.set(ETH, spend.eth)
  const spent = { ...state.spent }
  for (const budget of policy.budgets ?? []) {
    const asset = budget.asset.toLowerCase()
    const amount = amounts.get(asset)
    if (!amount) continue
    const entry = spent[asset]
    const fresh = !entry || now - entry.periodStart >= budget.periodSeconds * 1000
    spent[asset] = fresh
      ? { periodStart: now, amount: amount.toString() }
      : { periodStart: entry.periodStart, amount: (BigInt(entry.amount) + amount).toString() }
  }
  const windowMs = (policy.rateLimit?.windowSeconds ?? 0) * 1000
  const recent = [...state.recent.filter((t) => t > now - windowMs), now]
  return { ...state, spent, recent }
}
