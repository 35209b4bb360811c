/**
 * Guardrails from @seed/aa's policy engine, applied to every send the wallet signs (dApp requests
 * still need the user's click; a `deny` verdict blocks even that). Settings and bookkeeping persist
 * in chrome.storage.local; amounts are stored as decimal ETH strings.
 */
import { evaluatePolicy, initialPolicyState, type Policy, type PolicyState, recordAction, type Verdict } from '@seed/aa'
import { type Address, type Hex, hexToBigInt, parseEther } from 'viem'
import { ProviderRpcError } from '../core/errors.ts'

export type PolicySettings = {
  /** Max ETH a single request may send. */
  perTxEth: string
  /** Max ETH per rolling 24 h. */
  dailyEth: string
  /** Max sends per minute. */
  maxPerMinute: number
  denyTargets: Address[]
}

export const DEFAULT_POLICY: PolicySettings = { perTxEth: '1', dailyEth: '5', maxPerMinute: 30, denyTargets: [] }
const DAY = 86_400

export type CallParam = { to: Address; value?: Hex; data?: Hex }

export function toPolicy(settings: PolicySettings): Policy {
  return {
    perTxCap: { eth: parseEther(settings.perTxEth) },
    budgets: [{ asset: 'eth', limit: parseEther(settings.dailyEth), periodSeconds: DAY }],
    rateLimit: { max: settings.maxPerMinute, windowSeconds: 60 },
    denyTargets: settings.denyTargets,
  }
}

export async function policySettings(): Promise<PolicySettings> {
  return ((await chrome.storage.local.get('policy')).policy as PolicySettings | undefined) ?? DEFAULT_POLICY
}

export async function savePolicySettings(settings: PolicySettings) {
  toPolicy(settings) // throws on malformed amounts
  await chrome.storage.local.set({ policy: settings })
}

export async function policyState(): Promise<PolicyState> {
  return (
    ((await chrome.storage.local.get('policyState')).policyState as PolicyState | undefined) ?? initialPolicyState()
  )
}

export async function setFrozen(frozen: boolean) {
  const state = await policyState()
  await chrome.storage.local.set({
    policyState: { ...state, frozen, frozenReason: frozen ? 'kill switch pressed in the wallet' : undefined },
  })
}

const action = (origin: string, account: Address, calls: CallParam[]) => ({
  requestedBy: origin,
  account,
  calls: calls.map((c) => ({ to: c.to, value: c.value ? hexToBigInt(c.value) : 0n, data: c.data })),
})

export async function policyVerdict(origin: string, account: Address, calls: CallParam[]): Promise<Verdict> {
  return evaluatePolicy(toPolicy(await policySettings()), await policyState(), action(origin, account, calls))
}

/** Throws unless the policy allows (or defers to the user, who has just approved). */
export async function enforcePolicy(origin: string, account: Address, calls: CallParam[]) {
  const verdict = await policyVerdict(origin, account, calls)
  if (verdict.decision === 'deny') {
    throw new ProviderRpcError(
      4100,
      `Blocked by the wallet's policy: ${verdict.reasons.map((r) => r.message).join(' ')}`,
    )
  }
}

export async function recordPolicyAction(origin: string, account: Address, calls: CallParam[]) {
  const next = recordAction(toPolicy(await policySettings()), await policyState(), action(origin, account, calls))
  await chrome.storage.local.set({ policyState: next })
}
