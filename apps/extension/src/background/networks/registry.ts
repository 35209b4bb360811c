/**
 * The networks the user saved: presets as edited, custom networks added, and the devnet preset
 * refreshed from the running stack's served manifest (the build-time manifest is only its default).
 */
import { type Address, isAddress } from 'viem'
import { listNetworks } from '../../core/config.ts'
import { invalidParams } from '../../core/errors.ts'
import type { NetworkSettings } from '../../core/records.ts'
import { DEVNET_NETWORK, stored } from '../../core/storage.ts'

const URL_FIELDS = ['bundlerUrl', 'beaconUrl', 'ipfsUrl', 'facilitatorUrl', 'manifestUrl', 'faucetUrl'] as const
/** Fields only the devnet has: left out when empty. */
const OPTIONAL_URL_FIELDS: readonly string[] = ['manifestUrl', 'faucetUrl']

function httpUrl(value: unknown, what: string): string {
  if (value === undefined || value === '') return ''
  if (typeof value !== 'string' || value.length > 2048) throw invalidParams(`${what}: not a URL.`)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalidParams(`${what}: "${value}" is not a URL.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidParams(`${what}: only http(s) URLs.`)
  return value.trim()
}

function multiaddr(value: unknown): string {
  if (value === undefined || value === '') return ''
  if (typeof value !== 'string' || !/^\/[\w./:-]{1,400}$/.test(value.trim())) {
    throw invalidParams('IPFS peer multiaddr: like /ip4/127.0.0.1/tcp/4003/ws/p2p/<peer id>.')
  }
  return value.trim()
}

/** What the screen sends, checked field by field (a clear -32602 for the first bad one). */
export function parseNetworkSettings(input: unknown): NetworkSettings {
  const n = input as Partial<NetworkSettings> | undefined
  if (!n || typeof n !== 'object') throw invalidParams('Network settings expected.')
  if (typeof n.id !== 'string' || !/^[a-z0-9-]{1,40}$/.test(n.id)) {
    throw invalidParams('Network id: 1 to 40 lowercase letters, digits or dashes.')
  }
  if (typeof n.name !== 'string' || !n.name.trim() || n.name.length > 60)
    throw invalidParams('Network name: 1 to 60 characters.')
  if (!['devnet', 'sepolia', 'baseSepolia', 'custom'].includes(n.preset as string))
    throw invalidParams('Unknown preset.')
  const chainId = Number(n.l1?.chainId)
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw invalidParams('L1 chain id: a positive integer.')
  const settings: NetworkSettings = {
    id: n.id,
    name: n.name.trim(),
    preset: n.preset as NetworkSettings['preset'],
    l1: { chainId, rpcUrl: httpUrl(n.l1?.rpcUrl, 'L1 RPC') },
    bundlerUrl: '',
    beaconUrl: '',
    ipfsUrl: '',
    facilitatorUrl: '',
    ipfsPeer: multiaddr(n.ipfsPeer),
  }
  for (const field of URL_FIELDS) {
    const url = httpUrl(n[field], field)
    if (url || !OPTIONAL_URL_FIELDS.includes(field)) settings[field] = url
  }
  if (n.erc8004) settings.erc8004 = parseRegistries(n.erc8004)
  // Addresses other than the deterministic ones come only from the devnet's manifest.
  if (n.id === DEVNET_NETWORK && n.contracts) settings.contracts = parseContracts(n.contracts)
  return settings
}

/** All three or none: a network names its own ERC-8004 registries, or uses Seed's (decision 0800). */
function parseRegistries(input: unknown): NonNullable<NetworkSettings['erc8004']> {
  const r = input as Record<string, unknown>
  const all = ['identity', 'reputation', 'validation'].map((k) => r?.[k])
  if (!all.every((a) => typeof a === 'string' && isAddress(a)))
    throw invalidParams('ERC-8004 registries: an address for each of identity, reputation and validation.')
  const [identity, reputation, validation] = all as Address[]
  return { identity: identity!, reputation: reputation!, validation: validation! }
}

function parseContracts(input: unknown): NonNullable<NetworkSettings['contracts']> {
  const entries = Object.entries((input ?? {}) as Record<string, unknown>)
  if (!entries.every(([, a]) => typeof a === 'string' && isAddress(a)))
    throw invalidParams('Contracts: addresses only.')
  const contracts = Object.fromEntries(entries) as Record<string, Address>
  if (!contracts.entryPointV07 || !contracts.seedAccountFactory || !contracts.usd) {
    throw invalidParams('Contracts: the manifest lacks the EntryPoint, the SeedAccount factory or Seed USD.')
  }
  return contracts as NonNullable<NetworkSettings['contracts']>
}

export async function saveNetwork(input: unknown): Promise<NetworkSettings[]> {
  const network = parseNetworkSettings(input)
  const saved = await stored.networks.get()
  await stored.networks.set({ ...saved, [network.id]: network })
  return listNetworks()
}

/** Forgets a saved network (a preset goes back to its defaults); the active one cannot go. */
export async function removeNetwork(id: string): Promise<NetworkSettings[]> {
  if ((await stored.activeNetwork.get()) === id)
    throw invalidParams('Switch to another network before removing this one.')
  const saved = await stored.networks.get()
  delete saved[id]
  await stored.networks.set(saved)
  return listNetworks()
}

/** The running stack's manifest, as its manifest server serves it (packages/devnet). */
type ServedManifest = {
  l1: { chainId: number; rpcUrl: string; beaconUrl?: string }
  bundler: { url: string }
  contracts: Record<string, string>
  services: Record<string, string>
  stoppedAt?: string
}

/** Reads the running stack at `manifestUrl` into the devnet preset and saves it. */
export async function refreshDevnet(manifestUrl: string): Promise<NetworkSettings> {
  const url = httpUrl(manifestUrl, 'Manifest URL')
  if (!url) throw invalidParams('Manifest URL: the URL the stack prints as "Manifest (served…)".')
  let manifest: ServedManifest
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    manifest = (await response.json()) as ServedManifest
  } catch (error) {
    throw invalidParams(`No devnet manifest at ${url} (${(error as Error).message}): is \`pnpm dev\` running?`)
  }
  if (manifest.stoppedAt) throw invalidParams(`The stack at ${url} stopped at ${manifest.stoppedAt}.`)
  const network = parseNetworkSettings({
    id: DEVNET_NETWORK,
    name: 'Local devnet',
    preset: 'devnet',
    l1: { chainId: manifest.l1?.chainId, rpcUrl: manifest.l1?.rpcUrl },
    bundlerUrl: manifest.bundler?.url,
    beaconUrl: manifest.l1?.beaconUrl ?? manifest.l1?.rpcUrl,
    ipfsUrl: manifest.services?.ipfsHttp,
    ipfsPeer: manifest.services?.ipfs,
    facilitatorUrl: manifest.services?.facilitator,
    faucetUrl: manifest.services?.faucet,
    manifestUrl: url,
    contracts: manifest.contracts,
  })
  await stored.networks.set({ ...(await stored.networks.get()), [DEVNET_NETWORK]: network })
  return network
}
