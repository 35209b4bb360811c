/**
 * A paired agent's grant as a policy of its own (decision 0601): @seed/aa's engine and pipeline with
 * the grant's budgets over its whole life, its allowed targets and its approval thresholds, on a
 * ledger per pairing. An agent action is reserved here and in the wallet's policy; both must allow it.
 */
import {
  type Action,
  actionAmounts,
  createActionPipeline,
  type Lock,
  type Policy,
  type Reason,
  type Verdict,
} from '@seed/aa'
import type { GrantView } from '@seed/agent/api'
import { type Address, formatEther, formatUnits, parseEther, parseUnits } from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { keyValueStorage, type PairingGrant } from '../../core/storage.ts'
import { usdTwinCountsAsUsd } from '../actions/usd-twin.ts'

const USD_DECIMALS = 6

export function grantPolicy(grant: PairingGrant, start: number, usd?: Address): Policy {
  // The budget covers the grant's whole life (at least a day, so a short grant still has a window).
  const periodSeconds = Math.max(86_400, Math.ceil((grant.expiresAt - start) / 1000))
  const budgets: Policy['budgets'] = [{ asset: 'eth', limit: parseEther(grant.budgetEth), periodSeconds }]
  const approvalAbove: Record<string, bigint> = { eth: parseEther(grant.approvalAboveEth) }
  if (usd) {
    budgets.push({ asset: usd, limit: parseUnits(grant.budgetUsd, USD_DECIMALS), periodSeconds })
    approvalAbove[usd.toLowerCase()] = parseUnits(grant.approvalAboveUsd, USD_DECIMALS)
  }
  return {
    budgets,
    approvalAbove,
    ...(usd ? { sameAsset: usdTwinCountsAsUsd(usd) } : {}),
    ...(grant.allowedTargets.length ? { allowTargets: grant.allowedTargets } : {}),
    // Which signatures are allowed at all is the wallet policy's call; the grant counts what they spend.
    allowSignTypes: 'any',
    allowMessageSigning: true,
  }
}

/** Throws on a malformed grant (amounts, expiry), before it is stored. */
export function validateGrant(grant: PairingGrant) {
  grantPolicy(grant, Date.now())
  if (!Number.isFinite(grant.expiresAt) || grant.expiresAt <= Date.now())
    throw new Error('The grant must expire in the future')
}

const usdAddress = () =>
  getDevnetConfig()
    .then((c) => c.contracts.usd)
    .catch(() => undefined)

const lockFor =
  (id: string): Lock =>
  <T>(fn: () => Promise<T>) =>
    navigator.locks.request(`seed.grant.${id}`, fn) as Promise<T>

/**
 * A grant's budgets and thresholds are in ETH and Seed USD: any other token an action moves would pass
 * uncounted, so it is refused under the pairing, with a reason that says so (decision 0605). The person
 * still moves such tokens from the wallet itself.
 */
/** The engine's reasons, and the grant's own: a token it does not count. */
export type GrantReason = Omit<Reason, 'code'> & { code: Reason['code'] | 'token-not-in-grant' }

export function tokensOutsideGrant(action: Action, usd: Address | undefined): GrantReason[] {
  return [...actionAmounts(action, usd && { sameAsset: usdTwinCountsAsUsd(usd) }).keys()]
    .filter((asset) => asset !== 'eth' && asset !== usd?.toLowerCase())
    .map((asset) => ({
      code: 'token-not-in-grant' as const,
      message: `It moves token ${asset}: a pairing's grant counts ETH and Seed USD only, so no other token moves under it.`,
      asset,
    }))
}

/** The pairing's own pipeline (its ledger under `agentGrant:<id>` in the local area). */
export function grantPipeline(id: string, grant: PairingGrant, start: number) {
  const pipeline = createActionPipeline({
    storage: keyValueStorage('local'),
    lock: lockFor(id),
    policy: async () => grantPolicy(grant, start, await usdAddress()),
    stateKey: `agentGrant:${id}`,
  })
  return {
    ...pipeline,
    async reserve(
      requestId: string,
      action: Action,
    ): Promise<{ decision: Verdict['decision']; reasons: GrantReason[] }> {
      const outside = tokensOutsideGrant(action, await usdAddress())
      if (outside.length) return { decision: 'deny' as const, reasons: outside }
      return pipeline.reserve(requestId, action)
    },
  }
}

export async function grantView(id: string, grant: PairingGrant, start: number): Promise<GrantView> {
  const usd = await usdAddress()
  const periodSeconds = Math.max(86_400, Math.ceil((grant.expiresAt - start) / 1000))
  const spent = await grantPipeline(id, grant, start).spent(periodSeconds)
  const spentEth = (spent.get('eth') ?? 0n) + (spent.get('fee') ?? 0n)
  const spentUsd = usd ? (spent.get(usd.toLowerCase()) ?? 0n) : 0n
  const left = (limit: bigint, used: bigint) => (limit > used ? limit - used : 0n)
  return {
    budgetEth: grant.budgetEth,
    budgetUsd: grant.budgetUsd,
    spentEth: formatEther(spentEth),
    spentUsd: formatUnits(spentUsd, USD_DECIMALS),
    leftEth: formatEther(left(parseEther(grant.budgetEth), spentEth)),
    leftUsd: formatUnits(left(parseUnits(grant.budgetUsd, USD_DECIMALS), spentUsd), USD_DECIMALS),
    allowedTargets: grant.allowedTargets,
    expiresAt: grant.expiresAt,
    approvalAboveEth: grant.approvalAboveEth,
    approvalAboveUsd: grant.approvalAboveUsd,
  }
}

export type { Action }
