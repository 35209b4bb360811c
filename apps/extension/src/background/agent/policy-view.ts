/** `policy.get` and `activity.list`: what the caller may still do, and what the wallet did (for whom). */

import type { ActivityView, PolicyView } from '@seed/agent/api'
import { formatEther, formatUnits } from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { listActivity } from '../actions/activity.ts'
import { actions, policySettings, policyState } from '../actions/policy.ts'
import type { ResolvedCaller } from './caller.ts'
import { grantView } from './pairing-grant.ts'

export async function policyView(caller: ResolvedCaller): Promise<PolicyView> {
  const settings = await policySettings()
  const spent = await actions.spent(86_400)
  const usd = (await getDevnetConfig()).contracts.usd.toLowerCase()
  return {
    caller: caller.origin,
    wallet: {
      frozen: (await policyState()).frozen,
      perTxEth: settings.perTxEth,
      dailyEth: settings.dailyEth,
      spentTodayEth: formatEther((spent.get('eth') ?? 0n) + (spent.get('fee') ?? 0n)),
      perTxUsd: settings.perTxUsd,
      dailyUsd: settings.dailyUsd,
      spentTodayUsd: formatUnits(spent.get(usd) ?? 0n, 6),
    },
    ...(caller.grant ? { grant: await grantView(caller.grantId!, caller.grant, caller.grantStart!) } : {}),
  }
}

/** The newest `limit` entries (default 20, at most 100): all of the wallet's, with who asked for each. */
export async function activityView(limit = 20): Promise<ActivityView> {
  const list = await listActivity()
  return list.slice(0, Math.min(Math.max(1, limit), 100)).map((item) => ({
    at: item.at,
    by: item.origin,
    chainId: item.chainId,
    summary: item.summary,
    status: item.status,
    ...(item.hash ? { hash: item.hash } : {}),
  }))
}
