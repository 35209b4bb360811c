import { createWalletClient, defineChain, http, parseEther } from 'viem'
import { expect, inject, test } from 'vitest'
import { devAccount } from '../src/accounts.ts'

const manifest = inject('manifest')
const health = async () =>
  (await (await fetch(`${manifest.services.ipfsHttp}/health`)).json()) as { pins: number; libp2pPins: number }

test("the rollup peer's own Helia node hands its batches to the IPFS peer over libp2p WebSockets", async () => {
  expect(manifest.services.ipfs).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\//)
  const before = await health()
  const chain = defineChain({
    id: manifest.rollup.chainId,
    name: 'Seed rollup',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [manifest.rollup.rpcUrl] } },
  })
  const wallet = createWalletClient({ chain, transport: http(), account: devAccount('user') })
  await wallet.sendTransaction({ to: devAccount('facilitator').address, value: parseEther('0.01') })
  // The peer posts a batch at the latest 10 s after its first block; the pin comes before the L1 tx.
  for (let i = 0; i < 120 && (await health()).libp2pPins <= before.libp2pPins; i++) {
    await new Promise((r) => setTimeout(r, 500))
  }
  const after = await health()
  expect(after.libp2pPins).toBeGreaterThan(before.libp2pPins)
  expect(after.pins).toBeGreaterThan(before.pins)
}, 90_000)
