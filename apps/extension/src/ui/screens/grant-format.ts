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

/** "1 day", "90 minutes", "3 weeks": the largest unit the period is a whole number of. */
export function periodText(seconds: number) {
  const [size, name] = UNITS.find(([size]) => seconds % size === 0) ?? [1, 'second']
  const count = seconds / size
  return count === 1 ? `1 ${name}` : `${count} ${name}s`
}

export const expiryText = (unixSeconds: number) => new Date(unixSeconds * 1000).toLocaleString()

/** "0.01 ETH" or "5 USDS": the allowance per period in the token's own units. */
export function allowanceText(permission: GrantPermission) {
  return permission.type === 'native-token-periodic'
    ? `${formatEther(BigInt(permission.periodAmount))} ETH`
    : `${formatUnits(BigInt(permission.periodAmount), permission.decimals)} ${permission.symbol}`
}

export const targetsOf = (permission: GrantPermission) =>
  permission.type === 'native-token-periodic' ? permission.targets : [permission.tokenAddress]
