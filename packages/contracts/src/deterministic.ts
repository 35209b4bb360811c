/**
 * Seed's contracts at the same address on any EVM chain (docs/decisions/0004): what is missing on a chain,
 * the deployer calls that add it, and what they cost. Sending is the caller's business (the devnet with a dev
 * key, a CLI, the wallet through its action pipeline): these helpers only read.
 */
import { type Address, BaseError, type Chain, type Client, concat, type Hex, type Transport } from 'viem'
import { estimateFeesPerGas, estimateGas, getCode } from 'viem/actions'
import { CREATE2_DEPLOYER, ENTRY_POINT_V07, type SeedContractName } from './deterministic/spec.ts'
import { seedAccountImplementation, seedDeployments } from './generated/deployments.ts'

export {
  CREATE2_DEPLOYER,
  ENTRY_POINT_V07,
  SEED_DEV_OWNER,
  SEED_DEV_SPONSOR,
  SEED_SALT,
  SEED_USD_PER_ETH,
  type SeedContractName,
} from './deterministic/spec.ts'
export { seedDeployments }

export type SeedDeployment = (typeof seedDeployments)[number]
/** Any viem client that reaches the chain (public, wallet or smart-account client). */
type AnyClient = Client<Transport, Chain | undefined>
export type SeedAddresses = Record<SeedContractName, Address> & { seedAccountImplementation: Address }
export type SeedDeploymentCall = { name: SeedContractName; to: Address; data: Hex; gas: bigint }

/** A chain lacks what Seed's deployments stand on (the CREATE2 deployer, EntryPoint v0.7). */
export class MissingPrerequisiteError extends BaseError {
  override name = 'MissingPrerequisiteError'
  readonly missing: readonly ('create2Deployer' | 'entryPointV07')[]
  constructor(missing: readonly ('create2Deployer' | 'entryPointV07')[]) {
    super(`This chain has no ${missing.map((m) => PREREQUISITES[m].label).join(' and no ')}.`, {
      details: missing.map((m) => `${PREREQUISITES[m].label} expected at ${PREREQUISITES[m].address}`).join('; '),
    })
    this.missing = missing
  }
}

const PREREQUISITES = {
  create2Deployer: { label: 'deterministic CREATE2 deployer', address: CREATE2_DEPLOYER },
  entryPointV07: { label: 'ERC-4337 EntryPoint v0.7', address: ENTRY_POINT_V07 },
} as const

/** Where every Seed contract is (or will be) on any chain. */
export function seedAddresses(): SeedAddresses {
  const addresses = {} as Record<SeedContractName, Address>
  for (const d of seedDeployments) addresses[d.name] = d.address
  return { ...addresses, seedAccountImplementation }
}

/**
 * The Seed deployments with no code on this chain yet (empty: everything is there). Throws
 * MissingPrerequisiteError when the deployer or EntryPoint v0.7 is absent: then nothing here can help.
 */
export async function findMissingSeedContracts(client: AnyClient): Promise<SeedDeployment[]> {
  const hasCode = async (address: Address) => Boolean(await getCode(client, { address }))
  const [deployer, entryPoint, ...present] = await Promise.all([
    hasCode(CREATE2_DEPLOYER),
    hasCode(ENTRY_POINT_V07),
    ...seedDeployments.map((d) => hasCode(d.address)),
  ])
  const prerequisites = [!deployer && 'create2Deployer', !entryPoint && 'entryPointV07'].filter(
    (m): m is 'create2Deployer' | 'entryPointV07' => Boolean(m),
  )
  if (prerequisites.length) throw new MissingPrerequisiteError(prerequisites)
  return seedDeployments.filter((_, i) => !present[i])
}

/**
 * One deployer call per missing contract, in dependency order, each with a static gas limit that covers
 * it on any chain with today's gas schedule. Sending one that someone else already sent reverts in the
 * deployer (the address is taken by the same code), so re-check with findMissingSeedContracts first.
 */
export function seedDeploymentCalls(missing: readonly SeedDeployment[]): SeedDeploymentCall[] {
  return missing.map((d) => ({ name: d.name, to: CREATE2_DEPLOYER, data: concat([d.salt, d.initCode]), gas: d.gas }))
}

export type SeedDeploymentCost = {
  /** The calls with the node's own gas estimates. */
  calls: SeedDeploymentCall[]
  gas: bigint
  maxFeePerGas: bigint
  /** Upper bound in wei: gas × maxFeePerGas (what the sender must hold, before a smart account's overhead). */
  wei: bigint
}

/** What deploying `missing` costs on this chain now, as the node estimates it. */
export async function estimateSeedDeploymentCost(
  client: AnyClient,
  missing: readonly SeedDeployment[],
): Promise<SeedDeploymentCost> {
  const calls = seedDeploymentCalls(missing)
  const [estimates, fees] = await Promise.all([
    Promise.all(calls.map((call) => estimateGas(client, { to: call.to, data: call.data }))),
    calls.length ? estimateFeesPerGas(client) : Promise.resolve({ maxFeePerGas: 0n }),
  ])
  const estimated = calls.map((call, i) => ({ ...call, gas: estimates[i]! }))
  const gas = estimates.reduce((sum, g) => sum + g, 0n)
  const maxFeePerGas = fees.maxFeePerGas ?? 0n
  return { calls: estimated, gas, maxFeePerGas, wei: gas * maxFeePerGas }
}
