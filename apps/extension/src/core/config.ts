/**
 * The network the wallet talks to (decision 0430). The devnet preset defaults to the manifest baked
 * in at build time (scripts/devnet-config.ts, decision 0400) and is refreshed from the running
 * stack; Sepolia, Base Sepolia and custom networks come from the networks screen. Every other
 * network finds Seed's contracts at their deterministic CREATE2 addresses (decision 0431).
 */
import { seedAddresses } from '@seed/contracts'
import { entryPoint07Address } from 'viem/account-abstraction'
import type { DevnetConfig, NetworkSettings } from './records.ts'
import { DEVNET_NETWORK, stored } from './storage.ts'

export type { DevnetConfig, NetworkSettings }

declare const __SEED_DEVNET__: DevnetConfig | null | undefined

/** The build's devnet manifest (a Vite define; absent outside a build, e.g. in unit tests). */
const bakedDevnet = () => (typeof __SEED_DEVNET__ === 'undefined' ? null : __SEED_DEVNET__)

export class NotConfiguredError extends Error {
  override name = 'NotConfiguredError'
  shortMessage = 'The network is not configured'
  constructor(network: string) {
    super(
      network === DEVNET_NETWORK
        ? 'No devnet configured: start the stack with `pnpm dev`, or set the devnet up on the networks screen.'
        : `The network "${network}" has no L1 RPC or bundler: set them on the networks screen.`,
    )
  }
}

const blank = (id: string, name: string, preset: NetworkSettings['preset'], chainId: number, rpcUrl: string) =>
  ({
    id,
    name,
    preset,
    l1: { chainId, rpcUrl },
    bundlerUrl: '',
    beaconUrl: '',
    ipfsUrl: '',
    ipfsPeer: '',
    facilitatorUrl: '',
  }) satisfies NetworkSettings

/** The local devnet as the manifest baked into this build describes it (empty URLs if there was none). */
function devnetPreset(): NetworkSettings {
  const baked = bakedDevnet()
  if (!baked) return blank(DEVNET_NETWORK, 'Local devnet', 'devnet', 31337, '')
  return {
    id: DEVNET_NETWORK,
    name: 'Local devnet',
    preset: 'devnet',
    l1: baked.l1,
    bundlerUrl: baked.bundlerUrl,
    beaconUrl: baked.services.beacon ?? baked.l1.rpcUrl,
    ipfsUrl: baked.services.ipfsHttp ?? '',
    ipfsPeer: baked.services.ipfs ?? '',
    facilitatorUrl: baked.services.facilitator ?? '',
    manifestUrl: baked.services.manifest,
    faucetUrl: baked.services.faucet,
    contracts: baked.contracts,
  }
}

/**
 * The presets: public chain ids and public RPCs; the bundler and the beacon API are the user's to
 * fill (no public one is both free and reliable). Base Sepolia is an L2 without blobs: its rollup
 * cannot batch there, but its smart account works.
 */
export function presetNetworks(): NetworkSettings[] {
  return [
    devnetPreset(),
    blank('sepolia', 'Sepolia', 'sepolia', 11155111, 'https://ethereum-sepolia-rpc.publicnode.com'),
    blank('base-sepolia', 'Base Sepolia', 'baseSepolia', 84532, 'https://sepolia.base.org'),
  ]
}

/** Every network the screen lists: the presets as the user edited them, then the custom ones. */
export async function listNetworks(): Promise<NetworkSettings[]> {
  const saved = await stored.networks.get()
  const presets = presetNetworks().map((preset) => saved[preset.id] ?? preset)
  const custom = Object.values(saved).filter((n) => !presets.some((p) => p.id === n.id))
  return [...presets, ...custom]
}

export async function networkSettings(id: string): Promise<NetworkSettings | undefined> {
  return (await listNetworks()).find((n) => n.id === id)
}

export async function activeNetwork(): Promise<NetworkSettings> {
  const id = await stored.activeNetwork.get()
  return (await networkSettings(id)) ?? devnetPreset()
}

/** Seed's contracts where the network has them: the devnet's manifest, else the deterministic addresses. */
export function networkContracts(network: NetworkSettings): DevnetConfig['contracts'] {
  if (network.contracts) return network.contracts
  return { entryPointV07: entryPoint07Address, ...seedAddresses() }
}

/** The runtime config of a network, in the shape every background module reads. */
export function configOf(network: NetworkSettings): DevnetConfig {
  if (!network.l1.rpcUrl || !network.bundlerUrl) throw new NotConfiguredError(network.id)
  const services: Record<string, string> = {}
  if (network.ipfsPeer) services.ipfs = network.ipfsPeer
  if (network.ipfsUrl) services.ipfsHttp = network.ipfsUrl
  if (network.facilitatorUrl) services.facilitator = network.facilitatorUrl
  if (network.beaconUrl) services.beacon = network.beaconUrl
  if (network.faucetUrl) services.faucet = network.faucetUrl
  const devFunded = network.id === DEVNET_NETWORK ? bakedDevnet()?.rollup : undefined
  // The devnet's own rollup peer: a network x402.fetch may pay on from the rollup account (decision 0602).
  const stackRollup = network.id === DEVNET_NETWORK ? bakedDevnet()?.stackRollup : undefined
  const bridgeForceWindow = network.id === DEVNET_NETWORK ? bakedDevnet()?.bridgeForceWindow : undefined
  return {
    l1: network.l1,
    bundlerUrl: network.bundlerUrl,
    contracts: networkContracts(network),
    services,
    ...(devFunded ? { rollup: devFunded } : {}),
    ...(stackRollup ? { stackRollup } : {}),
    ...(bridgeForceWindow ? { bridgeForceWindow } : {}),
  }
}

/** The active network's config (the name predates networks: every module reads the wallet's L1 through it). */
export async function getDevnetConfig(): Promise<DevnetConfig> {
  return configOf(await activeNetwork())
}
