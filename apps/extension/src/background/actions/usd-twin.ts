import { l2TwinAddress } from '@seed/contracts'
import type { Address } from 'viem'

/**
 * Seed USD's twin on the agent's rollup (decision 0703) counts as Seed USD: moving or withdrawing the twin
 * spends the same caps and budget, in the wallet's policy and in every pairing's grant.
 */
export function usdTwinCountsAsUsd(usd: Address): Record<string, string> {
  return { [l2TwinAddress(usd).toLowerCase()]: usd.toLowerCase() }
}
