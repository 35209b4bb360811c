/**
 * The chains the wallet offers (L1 devnet, embedded rollup, and read-only chains a site added) and
 * each origin's selection.
 */
import { type Hex, numberToHex } from 'viem'
import { getDevnetConfig } from '../core/config.ts'
import { type CustomChain, read, write } from '../core/storage.ts'
import { rollupService } from './rollup.ts'

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
  return (await read('local', 'account'))?.rollup?.chainId
}

export async function customChain(chainId: number): Promise<CustomChain | undefined> {
  return (await read('local', 'customChains'))?.[numberToHex(chainId)]
}

export async function addCustomChain(chain: CustomChain) {
  const chains = (await read('local', 'customChains')) ?? {}
  chains[numberToHex(chain.chainId)] = chain
  await write('local', 'customChains', chains)
}

export async function chainOf(origin: string): Promise<SelectedChain> {
  const selected = (await read('local', 'chains'))?.[origin]
  const l1 = await l1ChainId()
  if (selected && Number(selected) !== l1) {
    const custom = await customChain(Number(selected))
    if (custom) return { id: custom.chainId, kind: 'custom', rpcUrl: custom.rpcUrl }
    const l2 = await l2ChainId()
    if (l2 !== undefined && Number(selected) === l2) return { id: l2, kind: 'l2' }
  }
  return { id: l1, kind: 'l1' }
}

export async function kindOf(chainId: number): Promise<ChainKind | undefined> {
  if (chainId === (await l1ChainId())) return 'l1'
  if (await customChain(chainId)) return 'custom'
  if (chainId === (await l2ChainId())) return 'l2'
  return undefined
}

export async function selectChain(origin: string, chainId: number) {
  const chains = (await read('local', 'chains')) ?? {}
  chains[origin] = numberToHex(chainId) as Hex
  await write('local', 'chains', chains)
}
