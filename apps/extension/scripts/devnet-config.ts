/** Builds the extension's devnet config from the devnet manifest (the only source of addresses). */
import { existsSync } from 'node:fs'
import { manifestPath, readManifest } from '@seed/devnet/manifest'
import type { DevnetConfig } from '../src/core/config.ts'

export function devnetConfigFromManifest(path = manifestPath()): DevnetConfig | null {
  if (!existsSync(path)) return null
  const manifest = readManifest(path)
  return {
    l1: { chainId: manifest.l1.chainId, rpcUrl: manifest.l1.rpcUrl },
    bundlerUrl: manifest.bundler.url,
    contracts: manifest.contracts,
    services: manifest.services,
  }
}
