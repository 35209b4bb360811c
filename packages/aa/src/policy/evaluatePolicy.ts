/**
 * The guardrail check every action passes before anything is signed. Pure and synchronous: no I/O, so it
 * runs in microseconds and the same code runs in the extension, the agent and tests. The stateful side
 * (the rolling ledger, reservations under a lock) is the action pipeline (../actions).
 */
import type { Address } from 'viem'
import { decodeSpend, ETH, flattenCalls, type Spend, selectorOf } from './decodeSpend.ts'
import type { Action, LedgerEntry, Policy, PolicyState, Reason, Verdict } from './types.ts'

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

/** What the action's user op paid, or the most it can cost in fees (0 when it has no fee estimate, or is a signature). */
export const maxFeeOf = (action: Action) =>
  action.feePaid ?? (action.fee ? action.fee.gas * action.fee.maxFeePerGas : 0n)

/**
 * What the action moves, per asset (self-calls seen through), keyed by 'eth' or a lower-cased token; a token
 * the policy counts as another asset (`sameAsset`) is added to that asset.
 */
export function actionAmounts(action: Action, policy?: Pick<Policy, 'sameAsset'>): Map<string, bigint> {
  return amountsOf(decodeSpend(action.calls, action.account as Address), policy)
}

function amountsOf(spend: Spend, policy: Pick<Policy, 'sameAsset'> | undefined): Map<string, bigint> {
  const amounts = new Map<string, bigint>()
  for (const [token, amount] of spend.tokens) {
    const asset = policy?.sameAsset?.[token] ?? token
    amounts.set(asset, (amounts.get(asset) ?? 0n) + amount)
  }
  if (spend.eth > 0n) amounts.set(ETH, spend.eth)
  return amounts
}

/** What the action adds to `asset`'s budget: a committed action only its fee (its amounts met the budget already). */
function budgetedAmount(action: Action, asset: string, amounts: Map<string, bigint>) {
  if (!action.committed) return amounts.get(asset)
  return asset === ETH ? maxFeeOf(action) : 0n
}

/** Spend of `asset` logged in the rolling period ending at `now` (reservations, and for ETH fees, included). */
export function spentInPeriod(ledger: readonly LedgerEntry[], asset: string, periodSeconds: number, now: number) {
  const since = now - periodSeconds * 1000
  let total = 0n
  for (const entry of ledger) {
    if (entry.at <= since) continue
    const amount = entry.amounts[asset]
    if (amount) total += BigInt(amount)
    if (asset === ETH && entry.fee) total += BigInt(entry.fee)
  }
  return total
}

function signatureReasons(policy: Policy, action: Action, deny: Reason[]) {
  const sig = action.signature
  if (!sig) return
  if (sig.kind === 'message') {
    if (sig.length === 32 && !policy.allowHashSigning) {
      deny.push({
        code: 'hash-signing',
        message:
          'Signing a 32-byte message is not allowed: it is what a hash looks like, and a signed hash can authorise anything.',
      })
    } else if (action.calls.length === 0 && policy.allowMessageSigning !== true) {
      deny.push({
        code: 'signature-not-allowed',
        message: 'Signing personal_sign messages is not allowed by the policy.',
      })
    }
    return
  }
  if (sig.protectedDomain) {
    deny.push({
      code: 'protected-domain',
      message: `EIP-712 ${sig.primaryType} is in one of the wallet's own domains (SeedAccount, ERC4337, the account, the EntryPoint): never signed for a page.`,
    })
  } else if (sig.undecodedSpend) {
    if (!policy.allowSpendingSignTypes?.includes(sig.primaryType)) {
      deny.push({
        code: 'undecoded-spend-signature',
        message: `EIP-712 ${sig.primaryType} looks like it moves value and the wallet cannot decode how much: not allowed unless listed in the settings.`,
      })
    }
  } else if (
    action.calls.length === 0 &&
    policy.allowSignTypes !== 'any' &&
    !policy.allowSignTypes?.includes(sig.primaryType)
  ) {
    deny.push({
      code: 'signature-not-allowed',
      message: `Signing EIP-712 ${sig.primaryType} is not allowed by the policy.`,
    })
  }
}

export function evaluatePolicy(policy: Policy, state: PolicyState, action: Action, now = Date.now()): Verdict {
  if (state.frozen) {
    return {
      decision: 'deny',
      reasons: [{ code: 'frozen', message: `Kill switch on: ${state.frozenReason ?? 'frozen'}` }],
    }
  }
  const deny: Reason[] = []
  if (action.signature) signatureReasons(policy, action, deny)
  else if (action.calls.length === 0) deny.push({ code: 'empty', message: 'No calls to run.' })

  const spend = decodeSpend(action.calls, action.account as Address)
  if (spend.adminCalls.length && !policy.allowAdminCalls) {
    deny.push({
      code: 'admin-call',
      message: `Calls the account's own admin function ${spend.adminCalls.join(', ')}: only the wallet's settings may do that.`,
    })
  }
  if (spend.undecodable) {
    deny.push({ code: 'undecodable-self-call', message: 'Calls the account itself with arguments that do not decode.' })
  }

  const { allowTargets, denyTargets, allowSelectors, denySelectors } = listsOf(policy)
  // Target and selector rules apply to what actually runs, inside self-calls too.
  const self = action.account.toLowerCase()
  const calls = action.calls.some((c) => c.to.toLowerCase() === self)
    ? flattenCalls(action.calls, action.account).filter((c) => c.to.toLowerCase() !== self)
    : action.calls
  for (const call of calls) {
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

  if (action.fee && policy.feeCaps) {
    const { gas, maxFeePerGas } = action.fee
    if (gas > policy.feeCaps.maxGas || maxFeePerGas > policy.feeCaps.maxFeePerGas) {
      deny.push({
        code: 'fee-cap',
        message: `The bundler asks for ${gas} gas at ${maxFeePerGas} wei/gas; the caps are ${policy.feeCaps.maxGas} gas and ${policy.feeCaps.maxFeePerGas} wei/gas.`,
      })
    }
  }

  const amounts = amountsOf(spend, policy)
  // The per-action cap is on what the action moves; its maximum fee counts against the budget.
  for (const [asset, amount] of amounts) {
    const cap = policy.perTxCap?.[asset] ?? policy.perTxCap?.[asset.toLowerCase()]
    if (cap !== undefined && amount > cap) {
      deny.push({ code: 'per-tx-cap', message: `Spends ${fmt(asset, amount)}, per-action cap is ${cap}.`, asset })
    }
  }
  const maxFee = maxFeeOf(action)
  if (maxFee > 0n) amounts.set(ETH, (amounts.get(ETH) ?? 0n) + maxFee)
  for (const budget of policy.budgets ?? []) {
    const asset = budget.asset.toLowerCase()
    const amount = budgetedAmount(action, asset, amounts)
    if (!amount) continue
    const spent = spentInPeriod(state.ledger, asset, budget.periodSeconds, now)
    if (spent + amount > budget.limit) {
      deny.push({
        code: 'budget',
        message: `Budget: ${fmt(asset, spent)} spent or reserved in the last ${budget.periodSeconds}s; +${amount}${maxFee && asset === ETH ? ` (max fee ${maxFee} included)` : ''} exceeds ${budget.limit}.`,
        asset,
      })
    }
  }
  if (policy.rateLimit) {
    const since = now - policy.rateLimit.windowSeconds * 1000
    let count = 0
    for (const entry of state.ledger) if (entry.at > since) count++
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

/** How long the ledger must remember an entry: the longest budget period or rate window. */
function ledgerHorizonMs(policy: Policy) {
  let seconds = policy.rateLimit?.windowSeconds ?? 0
  for (const b of policy.budgets ?? []) seconds = Math.max(seconds, b.periodSeconds)
  return seconds * 1000
}

/**
 * `state` with `entry` logged, and entries older than every window dropped: they no longer count,
 * settled or not (a reservation left open by a check-only caller does not grow the ledger forever).
 */
export function withEntry(policy: Policy, state: PolicyState, entry: LedgerEntry, now = Date.now()): PolicyState {
  const since = now - ledgerHorizonMs(policy)
  const ledger = state.ledger.filter((e) => e.at > since)
  return { ...state, ledger: [...ledger, entry] }
}

const toStrings = (amounts: Map<string, bigint>) =>
  Object.fromEntries([...amounts].map(([asset, amount]) => [asset, amount.toString()]))

/** The state after `action` ran: its spend logged (settled) now, for the budgets and the rate limit. */
export function recordAction(
  policy: Policy,
  state: PolicyState,
  action: Action,
  now = Date.now(),
  id: string = `${now}-${state.ledger.length}`,
): PolicyState {
  return withEntry(policy, state, ledgerEntry(policy, id, action, 'settled', now), now)
}

/** The ledger's record of `action`: what it moves (as the policy counts assets) and its fee (maximum or paid). */
export function ledgerEntry(
  policy: Pick<Policy, 'sameAsset'>,
  id: string,
  action: Action,
  status: LedgerEntry['status'],
  at: number,
): LedgerEntry {
  const fee = maxFeeOf(action)
  // A committed action's amounts were logged when committed: its entry counts for the rate limit and its fee.
  const amounts = action.committed ? {} : toStrings(actionAmounts(action, policy))
  return { id, at, amounts, ...(fee ? { fee: fee.toString() } : {}), status }
}
