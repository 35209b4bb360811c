import type { Address } from 'viem'
import type { PublicManifest } from './manifest.ts'

/** Tokens an address page shows balances of (symbol and decimals are read from each). */
export function knownTokens(manifest: PublicManifest, layer: 'l1' | 'l2'): Address[] {
  // Seed USD is predeployed at its L1 address on the network's rollup; the test token is L1 only.
  return layer === 'l2' ? [manifest.contracts.usd] : [manifest.contracts.usd, manifest.contracts.testToken]
}
