/**
 * The devnet faucet as part of the stack: its own process, paying from a key made for this run
 * (never a well-known dev key, never written anywhere) that the stack funds with L1 ETH and Seed USD.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Address, Hex } from 'viem'
import { type Service, startService, waitAnnounced } from '../processes.ts'
import type { FaucetConfig } from './server.ts'

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts')

export type FaucetInfo = { service: Service; url: string; address: Address }

export async function startFaucet(privateKey: Hex, config: FaucetConfig & { port?: number }): Promise<FaucetInfo> {
  const service = startService('faucet', process.execPath, ['--import', 'tsx', main], {
    cwd: dirname(main),
    env: { SEED_FAUCET_KEY: privateKey, SEED_FAUCET_CONFIG: JSON.stringify(config) },
  })
  const ready = await waitAnnounced<{ url: string; address: Address }>(service, 30_000)
  return { service, url: ready.url, address: ready.address }
}
