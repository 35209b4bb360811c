/** Builds the extension's devnet config from the devnet manifest (the only source of addresses). */
import { existsSync } from 'node:fs'
import { manifestPath, readManifest } from '@seed/devnet/manifest'
import type { DevnetConfig } from '../src/core/config.ts'

/** rollup-lite's default chain id (its CLI's `genesis --chain-id` default). */
export const ROLLUP_CHAIN_ID = 31338

export function devnetConfigFromManifest(path = manifestPath()): DevnetConfig | null {
  if (!existsSync(path)) return null
  const manifest = readManifest(path)
  return {
    l1: { chainId: manifest.l1.chainId, rpcUrl: manifest.l1.rpcUrl },
    bundlerUrl: manifest.bundler.url,
    contracts: manifest.contracts,
    services: manifest.services,
    rollup: { chainId: ROLLUP_CHAIN_ID, funded: Object.values(manifest.accounts) },
  }
}
