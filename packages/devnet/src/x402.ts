/**
 * Issue 7 (packages/x402): the x402 facilitator as part of the stack. It settles `exact` (EIP-3009) payments
 * on L1 (and on the rollup once that network is added), with the `facilitator` role's key, and may deploy
 * counterfactual SeedAccounts through the SeedAccountFactory (ERC-6492). x402's EVM facilitator reads
 * through Multicall3 at its canonical address, which anvil lacks, so we install it first.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Multicall3DeployedBytecode } from '@seed/contracts'
import type { Address, Client } from 'viem'
import { devPrivateKey } from './accounts.ts'
import { assertPortFree, freePort } from './ports.ts'
import { type Service, startService, waitHealthy } from './processes.ts'

export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11' as const

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

export async function installMulticall3(client: Client) {
  await client.request({ method: 'anvil_setCode', params: [MULTICALL3_ADDRESS, Multicall3DeployedBytecode] } as never)
}

export type FacilitatorOptions = {
  networks: { chainId: number; rpcUrl: string; name?: string }[]
  eip6492AllowedFactories: Address[]
  port?: number
}

export async function startFacilitator(options: FacilitatorOptions): Promise<{ service: Service; url: string }> {
  const port = options.port ?? (await freePort())
  if (options.port) await assertPortFree(port, 'facilitator')
  const main = join(repoRoot, 'packages', 'x402', 'src', 'facilitator', 'main.ts')
  const service = startService('facilitator', process.execPath, ['--import', 'tsx', main], {
    cwd: repoRoot,
    env: {
      SEED_FACILITATOR_KEY: devPrivateKey('facilitator'),
      SEED_FACILITATOR_CONFIG: JSON.stringify({
        port,
        networks: options.networks,
        eip6492AllowedFactories: options.eip6492AllowedFactories,
      }),
    },
  })
  const url = `http://127.0.0.1:${port}`
  await waitHealthy(service, async () => (await fetch(`${url}/health`)).ok, 30_000)
  return { service, url }
}

/** The stack's hook: Multicall3 on L1, then the facilitator serving L1. */
export async function startX402(l1: Client & { chain: { id: number } | undefined }, rpcUrl: string, factory: Address) {
  await installMulticall3(l1)
  const chainId = l1.chain?.id ?? 31337
  return startFacilitator({ networks: [{ chainId, rpcUrl, name: 'L1' }], eip6492AllowedFactories: [factory] })
}
