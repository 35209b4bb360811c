/** CAIP-2 helpers and the Seed USD token description x402 `exact` payments need. */
import type { Network } from '@x402/core/types'
import type { Address } from 'viem'

export type Caip2 = `eip155:${number}`

export function caip2(chainId: number): Caip2 {
  return `eip155:${chainId}`
}

export function chainIdOf(network: Network | string): number {
  const match = /^eip155:(\d+)$/.exec(network)
  if (!match) throw new Error(`not an EVM CAIP-2 network: ${network}`)
  return Number(match[1])
}

/** EIP-712 domain of SeedUSD (packages/contracts/contracts/token/SeedUSD.sol): `EIP712("Seed USD", "2")`. */
export const SEED_USD_DOMAIN = { name: 'Seed USD', version: '2' } as const
export const SEED_USD_DECIMALS = 6

/** A price in Seed USD base units (6 decimals), as x402 wants it on a chain with no default asset. */
export function usdPrice(asset: Address, amount: bigint) {
  return { asset, amount: amount.toString(), extra: { ...SEED_USD_DOMAIN } }
}

/** Multicall3's canonical address: x402's EVM facilitator reads through it (devnet installs it). */
export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11' as const
