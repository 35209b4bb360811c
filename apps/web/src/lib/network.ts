/**
 * The selected network's L1: plain HTTP (batched) for reads, a WebSocket for live heads and logs.
 * The devnet's anvil answers both on one port.
 */
import { createPublicClient, defineChain, http, type PublicClient, webSocket } from 'viem'
import type { PublicManifest } from './manifest.ts'

export type Network = {
  manifest: PublicManifest
  l1: PublicClient
  /** Same node over a WebSocket: `watchBlocks` and `watchContractEvent` subscribe instead of polling. */
  l1Live: PublicClient
  /** The IPFS peer that serves batch bytes at `/ipfs/<cid>`, when the network has one. */
  ipfsUrl: string | undefined
}

export const toWebSocketUrl = (url: string) => url.replace(/^http/, 'ws')

export function createNetwork(manifest: PublicManifest): Network {
  const chain = defineChain({
    id: manifest.l1.chainId,
    name: 'L1',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [manifest.l1.rpcUrl] } },
  })
  return {
    manifest,
    l1: createPublicClient({ chain, transport: http(manifest.l1.rpcUrl, { batch: true }) }),
    l1Live: createPublicClient({ chain, transport: webSocket(toWebSocketUrl(manifest.l1.rpcUrl)) }),
    ipfsUrl: manifest.services.ipfsHttp,
  }
}
