/**
 * The devnet the wallet talks to. Baked in at build time from the devnet manifest (see
 * scripts/devnet-config.ts); a test or the options step may override it in chrome.storage.local.
 */
import type { DevnetConfig } from './records.ts'
import { stored } from './storage.ts'

export type { DevnetConfig }

declare const __SEED_DEVNET__: DevnetConfig | null

export class NotConfiguredError extends Error {
  shortMessage = 'The wallet has no devnet configured'
  constructor() {
    super('No devnet configured: start the stack with `pnpm dev` (it rebuilds the extension from the manifest).')
  }
}

export async function getDevnetConfig(): Promise<DevnetConfig> {
  const config = (await stored.devnetConfig.get()) ?? __SEED_DEVNET__
  if (!config) throw new NotConfiguredError()
  return config
}
