/**
 * Issue 7 (packages/x402): the x402 facilitator as part of the stack. It settles `exact` (EIP-3009) payments
 * and accepts `channel` vouchers on L1 (and on the rollup once the stack runs one: add it to `networks`),
 * with the `facilitator` role's key, and may deploy counterfactual SeedAccounts through the
 * SeedAccountFactory (ERC-6492).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Address, Hex } from 'viem'
import { devPrivateKey } from './accounts.ts'
import type { Manifest } from './manifest.ts'
import { assertPortFree, freePort } from './ports.ts'
import { type Service, startService, waitHealthy } from './processes.ts'

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

export type FacilitatorOptions = {
  networks: { chainId: number; rpcUrl: string; name?: string; channelContract?: Address }[]
  eip6492AllowedFactories: Address[]
  port?: number
  /** How often the facilitator claims accepted channel vouchers on chain. */
  claimIntervalMs?: number
  /** Where it keeps accepted vouchers until claimed (default: a fresh temporary directory). */
  dir?: string
  /** The key it settles and claims with (default: the devnet's `facilitator` role). */
  privateKey?: Hex
}

export type FacilitatorInfo = {
  service: Service
  url: string
  /** Bearer token of its operator endpoint `POST /claim` (manifest `operator.facilitatorAdminToken`). */
  adminToken: string
}

export async function startFacilitator(options: FacilitatorOptions): Promise<FacilitatorInfo> {
  const port = options.port ?? (await freePort())
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'seed-facilitator-'))
  const adminToken = randomBytes(24).toString('hex')
  if (options.port) await assertPortFree(port, 'facilitator')
  const main = join(repoRoot, 'packages', 'x402', 'src', 'facilitator', 'main.ts')
  const service = startService('facilitator', process.execPath, ['--import', 'tsx', main], {
    cwd: repoRoot,
    // A devnet's vouchers die with its chain: a temporary store goes with the facilitator.
    tempDirs: options.dir ? [] : [dir],
    env: {
      SEED_FACILITATOR_KEY: options.privateKey ?? devPrivateKey('facilitator'),
      SEED_FACILITATOR_ADMIN_TOKEN: adminToken,
      SEED_FACILITATOR_CONFIG: JSON.stringify({
        port,
        networks: options.networks,
        eip6492AllowedFactories: options.eip6492AllowedFactories,
        claimIntervalMs: options.claimIntervalMs ?? 10_000,
        voucherFile: join(dir, 'vouchers.json'),
      }),
    },
  })
  const url = `http://127.0.0.1:${port}`
  await waitHealthy(service, async () => (await fetch(`${url}/health`)).ok, 30_000)
  return { service, url, adminToken }
}

/** The stack's hook: the facilitator serving L1 and the stack's rollup. */
export function startX402(
  l1: { chainId: number; rpcUrl: string },
  contracts: Manifest['contracts'],
  rollup: { chainId: number; rpcUrl: string },
) {
  return startFacilitator({
    networks: [
      { ...l1, name: 'L1', channelContract: contracts.paymentChannel },
      { ...rollup, name: 'Seed rollup' },
    ],
    eip6492AllowedFactories: [contracts.seedAccountFactory],
  })
}
