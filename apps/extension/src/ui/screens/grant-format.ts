/** How a grant reads on screen: amounts with their token, periods and expiry in words. */
import { formatEther, formatUnits } from 'viem'
import type { GrantPermission } from '../../core/records.ts'

const UNITS: [number, string][] = [
  [86_400 * 7, 'week'],
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
]

/** "1 day", "90 minutes", "3 weeks": the largest unit the period is a whole number of (0: none, an allowance). */
export function periodText(seconds: number) {
  if (seconds === 0) return 'the whole grant'
  const [size, name] = UNITS.find(([size]) => seconds % size === 0) ?? [1, 'second']
  const count = seconds / size
  return count === 1 ? `1 ${name}` : `${count} ${name}s`
}

export const expiryText = (unixSeconds: number) => new Date(unixSeconds * 1000).toLocaleString()

/** "0.01 ETH" or "5 USDS": the amount per period (or in all) in the token's own units. */
export function allowanceText(permission: GrantPermission) {
  return 'targets' in permission
    ? `${formatEther(BigInt(permission.amount))} ETH`
    : `${formatUnits(BigInt(permission.amount), permission.decimals)} ${permission.symbol}`
}

export const targetsOf = (permission: GrantPermission) =>
  'targets' in permission ? permission.targets : [permission.tokenAddress]

/** "every 1 hour", or "in all" for an allowance that does not renew. */
export const renewalText = (period: number) =>
  period === 0 ? 'in all, until it expires' : `every ${periodText(period)}`
