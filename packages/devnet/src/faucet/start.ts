/**
 * The devnet faucet as part of the stack: its own process, paying from a key made for this run
 * (never a well-known dev key, never written anywhere) that the stack funds with L1 ETH and Seed USD.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Address, Hex } from 'viem'
import { DevnetError } from '../ports.ts'
import { type Service, startService, waitHealthy } from '../processes.ts'
import type { FaucetConfig } from './server.ts'

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts')

export type FaucetInfo = { service: Service; url: string; address: Address }

export async function startFaucet(privateKey: Hex, config: FaucetConfig & { port?: number }): Promise<FaucetInfo> {
  const service = startService('faucet', process.execPath, ['--import', 'tsx', main], {
    cwd: dirname(main),
    env: { SEED_FAUCET_KEY: privateKey, SEED_FAUCET_CONFIG: JSON.stringify(config) },
  })
  let ready: { url: string; address: Address } | undefined
  await waitHealthy(
    service,
    async () => {
      const line = service
        .tail()
        .split('\n')
        .find((l) => l.startsWith('{"url"'))
      if (!line) return false
      ready = JSON.parse(line)
      return (await fetch(`${ready!.url}/health`)).ok
    },
    30_000,
  )
  if (!ready) throw new DevnetError('the faucet started without a URL')
  return { service, ...ready }
}
