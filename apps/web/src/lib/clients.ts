import manifest from 'virtual:seed-manifest'
import { createPublicClient, defineChain, http } from 'viem'

export const l1Chain = defineChain({
  id: manifest.l1.chainId,
  name: 'Seed L1 devnet',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [manifest.l1.rpcUrl] } },
})

export const l1 = createPublicClient({ chain: l1Chain, transport: http(manifest.l1.rpcUrl), pollingInterval: 1000 })
export { manifest }
