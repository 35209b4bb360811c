/**
 * The chains the wallet offers each origin: the L1 devnet, the embedded rollup, and read-only chains
 * that origin added. Every origin has its own list: which chains the user let it use (L1 comes with
 * the connection, any other takes one approval) and which it added, so a site can neither shadow a
 * chain for another site nor move itself to a chain the user never saw.
 */
import { type Hex, numberToHex } from 'viem'
import { activeNetwork, getDevnetConfig } from '../../core/config.ts'
import { type ChainDescription, type CustomChain, type SiteChains, stored } from '../../core/storage.ts'
import { rollupService } from '../rollup/rollup.ts'

export type ChainKind = 'l1' | 'l2' | 'custom'
export type SelectedChain = { id: number; kind: ChainKind; rpcUrl?: string }

export async function l1ChainId() {
  return (await getDevnetConfig()).l1.chainId
}

/** The rollup's chain id, or undefined while the rollup node is not available. */
export async function rollupChainId(): Promise<number | undefined> {
  try {
    return await rollupService.chainId()
  } catch {
    return undefined
  }
}

/**
 * The agent's own rollup chain id (decision 0402), from its account record, so a site on the rollup
 * stays on it while the node is down (its requests then get 4901, decision 0412).
 */
async function l2ChainId(): Promise<number | undefined> {
  return (await stored.account.get())?.rollup?.chainId
}

async function siteChains(origin: string): Promise<SiteChains> {
  return (await stored.siteChains.get())[origin] ?? { granted: [], added: {} }
}

async function updateSiteChains(origin: string, update: (chains: SiteChains) => SiteChains | undefined) {
  const all = await stored.siteChains.get()
  const next = update(all[origin] ?? { granted: [], added: {} })
  if (next) all[origin] = next
  else delete all[origin]
  await stored.siteChains.set(all)
}

/** A read-only chain `origin` added (no other origin sees it). */
async function customChain(origin: string, chainId: number): Promise<CustomChain | undefined> {
  return (await siteChains(origin)).added[numberToHex(chainId)]
}

export async function chainOf(origin: string): Promise<SelectedChain> {
  const selected = (await stored.chains.get())[origin]
  const l1 = await l1ChainId()
  if (selected && Number(selected) !== l1) {
    const l2 = await l2ChainId()
    if (l2 !== undefined && Number(selected) === l2) return { id: l2, kind: 'l2' }
    const custom = await customChain(origin, Number(selected))
    if (custom) return { id: custom.chainId, kind: 'custom', rpcUrl: custom.rpcUrl }
  }
  return { id: l1, kind: 'l1' }
}

/** The wallet's own chains first: an origin's added chain can never stand for the devnet or the rollup. */
export async function kindOf(chainId: number, origin?: string): Promise<ChainKind | undefined> {
  if (chainId === (await l1ChainId())) return 'l1'
  if (chainId === (await l2ChainId())) return 'l2'
  if (origin && (await customChain(origin, chainId))) return 'custom'
  return undefined
}

/** What the approval shows for a chain the origin already knows (the wallet's own or one it added). */
export async function describeChain(origin: string, chainId: number): Promise<ChainDescription | undefined> {
  const config = await getDevnetConfig()
  switch (await kindOf(chainId, origin)) {
    case 'l1':
      return { chainId, name: `Seed L1 (${(await activeNetwork()).name})`, rpcUrl: config.l1.rpcUrl }
    case 'l2':
      return { chainId, name: 'Seed rollup (in this browser)' }
    case 'custom': {
      const custom = (await customChain(origin, chainId))!
      return { chainId, name: custom.name, rpcUrl: custom.rpcUrl }
    }
  }
  return undefined
}

/** L1 comes with the connection; any other chain only after the user approved it for this origin. */
export async function isChainGranted(origin: string, chainId: number) {
  if (chainId === (await l1ChainId())) return true
  return (await siteChains(origin)).granted.includes(numberToHex(chainId))
}

/** The user approved `chain` for `origin`: a chain the wallet does not run becomes its read-only chain. */
export async function grantChain(origin: string, chain: ChainDescription) {
  const known = await kindOf(chain.chainId)
  await updateSiteChains(origin, ({ granted, added }) => {
    const id = numberToHex(chain.chainId)
    const next = { granted: granted.includes(id) ? granted : [...granted, id], added: { ...added } }
    if (!known && chain.rpcUrl) next.added[id] = { chainId: chain.chainId, name: chain.name, rpcUrl: chain.rpcUrl }
    return next
  })
}

/** Disconnecting an origin forgets its chains and puts it back on L1. */
export async function forgetSiteChains(origin: string) {
  await updateSiteChains(origin, () => undefined)
  const chains = await stored.chains.get()
  delete chains[origin]
  await stored.chains.set(chains)
}

export async function selectChain(origin: string, chainId: number) {
  const chains = await stored.chains.get()
  chains[origin] = numberToHex(chainId) as Hex
  await stored.chains.set(chains)
}
