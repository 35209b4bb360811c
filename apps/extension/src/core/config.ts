/**
 * The devnet the wallet talks to. Baked in at build time from the devnet manifest (see
 * scripts/devnet-config.ts); a test or the options step may override it in chrome.storage.local.
 */
import type { Address } from 'viem'

export type DevnetConfig = {
  l1: { chainId: number; rpcUrl: string }
  bundlerUrl: string
  contracts: {
    entryPointV07: Address
    simpleAccountFactoryV07: Address
    testToken: Address
    seedAccountFactory: Address
    usd: Address
    [name: string]: Address
  }
  services: Record<string, string>
  /**
   * Only in a build made with the explicit dev flag: the devnet's public dev accounts, funded in
   * every embedded rollup's genesis for tests (decision 0402). A normal build funds no public key.
   */
  rollup?: { devFunded: Address[] }
}

declare const __SEED_DEVNET__: DevnetConfig | null

export class NotConfiguredError extends Error {
  shortMessage = 'The wallet has no devnet configured'
  constructor() {
    super('No devnet configured: start the stack with `pnpm dev` (it rebuilds the extension from the manifest).')
  }
}

const OVERRIDE_KEY = 'devnetConfig'

export async function getDevnetConfig(): Promise<DevnetConfig> {
  const stored = (await chrome.storage.local.get(OVERRIDE_KEY))[OVERRIDE_KEY] as DevnetConfig | undefined
  const config = stored ?? __SEED_DEVNET__
  if (!config) throw new NotConfiguredError()
  return config
}
