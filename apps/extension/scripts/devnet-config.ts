/** Builds the extension's devnet config from the devnet manifest (the only source of addresses). */
import { existsSync } from 'node:fs'
import { manifestPath, readManifest } from '@seed/devnet/manifest'
import type { DevnetConfig } from '../src/core/config.ts'

/**
 * `devRollupAccounts`: the explicit dev flag (decision 0402) that funds the devnet's public dev
 * accounts in every embedded rollup's genesis, for tests that sign rollup txs outside the wallet.
 */
export function devnetConfigFromManifest(
  path = manifestPath(),
  { devRollupAccounts = false } = {},
): DevnetConfig | null {
  if (!existsSync(path)) return null
  const manifest = readManifest(path)
  return {
    l1: { chainId: manifest.l1.chainId, rpcUrl: manifest.l1.rpcUrl },
    bundlerUrl: manifest.bundler.url,
    contracts: manifest.contracts,
    // The stack's services (its served manifest among them: the devnet preset refreshes from it) and its beacon API.
    services: { ...manifest.services, beacon: manifest.l1.beaconUrl },
    ...(manifest.rollup ? { stackRollup: { chainId: manifest.rollup.chainId, rpcUrl: manifest.rollup.rpcUrl } } : {}),
    ...(manifest.bridge ? { bridgeForceWindow: manifest.bridge.forceWindow } : {}),
    ...(devRollupAccounts ? { rollup: { devFunded: Object.values(manifest.accounts) } } : {}),
  }
}
