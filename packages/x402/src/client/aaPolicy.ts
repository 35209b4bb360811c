/**
 * Runs x402 payments through @seed/aa's policy engine (the guard every agent action goes through): a payment
 * is presented as what it does on chain, an ERC-20 `transfer(payTo, amount)` of the asset from the account,
 * so the account's per-tx caps, budgets, target/selector rules, rate limit, approval thresholds, kill switch
 * and audit log all apply. Hosts and payees, which the chain cannot see, are checked here first.
 */
import type { Guard } from '@seed/aa'
import { type Address, encodeFunctionData, erc20Abi, getAddress } from 'viem'
import type { PaymentIntent, PaymentPolicyEngine, PolicyDecision } from './policy.ts'

export type AaPaymentPolicyParameters = {
  guard: Guard
  /** The paying account (recorded in the audit log). */
  account: Address
  /** Who asks (agent task, tool): recorded in the audit log. */
  requestedBy?: string
  allowedHosts?: readonly string[]
  allowedPayees?: readonly Address[]
  /** Asks the human when the engine says `needs-approval`; no callback = refuse. */
  approve?: (intent: PaymentIntent) => Promise<boolean>
}

export function aaPaymentPolicy(parameters: AaPaymentPolicyParameters): PaymentPolicyEngine {
  const { guard } = parameters
  const payees = parameters.allowedPayees?.map((a) => getAddress(a))
  const actionOf = (intent: PaymentIntent) => ({
    requestedBy: parameters.requestedBy ?? 'x402',
    account: parameters.account,
    calls: [
      {
        to: intent.asset,
        data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [intent.payTo, intent.amount] }),
      },
    ],
    note: `x402 payment for ${intent.url} on ${intent.network}`,
  })
  const reasonOf = (verdict: { reasons: { message: string }[] }) => verdict.reasons.map((r) => r.message).join('; ')

  return {
    async authorize(intent): Promise<PolicyDecision> {
      const host = new URL(intent.url).host
      if (parameters.allowedHosts && !parameters.allowedHosts.includes(host)) {
        return { allowed: false, reason: `host ${host} is not allowlisted` }
      }
      if (payees && !payees.includes(getAddress(intent.payTo))) {
        return { allowed: false, reason: `payee ${intent.payTo} is not allowlisted` }
      }
      const action = actionOf(intent)
      const verdict = await guard.check(action)
      if (verdict.decision === 'allow') return { allowed: true }
      if (verdict.decision === 'deny' || !verdict.approvalId) return { allowed: false, reason: reasonOf(verdict) }
      const approved = parameters.approve ? await parameters.approve(intent) : false
      await guard.resolveApproval(verdict.approvalId, { approved, by: 'human' })
      if (!approved) return { allowed: false, reason: `needs approval and was not approved: ${reasonOf(verdict)}` }
      const second = await guard.check(action, verdict.approvalId)
      return second.decision === 'allow' ? { allowed: true } : { allowed: false, reason: reasonOf(second) }
    },
    // The aa engine books spend when it allows an action and has no refund: a payment refused after
    // authorisation stays counted against the budget (conservative: never more than the budget moves).
    async release() {},
    async spent() {
      const state = await guard.state()
      return state.ledger.reduce(
        (sum, entry) => Object.values(entry.amounts).reduce((total, amount) => total + BigInt(amount), sum),
        0n,
      )
    },
  }
}
