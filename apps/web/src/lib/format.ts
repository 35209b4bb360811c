import { formatEther, formatUnits } from 'viem'

export const short = (hex: string, keep = 10) =>
  hex.length > keep + 4 ? `${hex.slice(0, keep)}…${hex.slice(-4)}` : hex
export const eth = (wei: bigint) => `${trim(formatEther(wei))} ETH`
export const units = (amount: bigint, decimals: number, symbol: string) =>
  `${trim(formatUnits(amount, decimals))} ${symbol}`
export const age = (timestamp: bigint) => `${Math.max(0, Math.round(Date.now() / 1000 - Number(timestamp)))} s ago`
export const integer = (n: bigint | number) => n.toLocaleString('en-US')

/** At most 6 decimals: a table cell, not a ledger. */
function trim(decimal: string) {
  const [whole, fraction = ''] = decimal.split('.')
  const kept = fraction.slice(0, 6).replace(/0+$/, '')
  return kept ? `${whole}.${kept}` : (whole ?? '0')
}
