/** The client of a layer and the links of its pages: L2 pages at the root, L1 pages under /l1. */
import type { PublicClient } from 'viem'
import type { ChainState } from './chain-context.tsx'
import type { Layer } from './live.ts'

export function clientOf(state: ChainState, layer: Layer): PublicClient | undefined {
  return layer === 'l1' ? state.network.l1 : state.l2?.client
}

export const routesOf = (layer: Layer) =>
  layer === 'l1'
    ? ({ block: '/l1/block/$block', tx: '/l1/tx/$hash', address: '/l1/address/$address', list: '/l1' } as const)
    : ({ block: '/block/$block', tx: '/tx/$hash', address: '/address/$address', list: '/blocks' } as const)

export const layerName = (layer: Layer) => (layer === 'l1' ? 'L1' : 'Rollup')
