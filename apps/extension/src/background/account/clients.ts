/** viem clients for the configured L1 devnet (created per call: the service worker may restart any time). */
import { createPublicClient, defineChain, http } from 'viem'
import { type DevnetConfig, getDevnetConfig } from '../../core/config.ts'

export function l1Chain(config: DevnetConfig) {
  return defineChain({
    id: config.l1.chainId,
    name: 'Seed devnet (L1)',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.l1.rpcUrl] } },
  })
}

export async function l1Client() {
  const config = await getDevnetConfig()
  return createPublicClient({ chain: l1Chain(config), transport: http(config.l1.rpcUrl), pollingInterval: 100 })
}
