/**
 * Real paid services on the devnet: rollup JSON-RPC per request, pinning of batches on the IPFS peer (the
 * rollup's batcher pays for it through x402), and verification of the posted batches.
 */
import { createMemoryStorage } from '@seed/aa'
import { devAccount } from '@seed/devnet'
import { createReplayExecutor, createRollupNode, deriveChain, memoryKv, type RollupNode } from '@seed/rollup-lite'
import { deployInbox, l1Sequencer, makeL2Blocks, testBatcher, testGenesis, tickUntil } from '@seed/rollup-lite/testing'
import { toClientEvmSigner } from '@x402/evm'
import type { Address } from 'viem'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createActivityLog } from '../src/client/activityLog.ts'
import { createPayingFetch } from '../src/client/payingFetch.ts'
import { createPaymentPolicy } from '../src/client/policy.ts'
import { usdPrice } from '../src/networks.ts'
import { startLocalRollup } from '../src/rollup/localRollup.ts'
import type { SoldService } from '../src/sell/sellService.ts'
import { paidPinner, sellPinning } from '../src/services/pinning.ts'
import { sellRollupRpc } from '../src/services/rollupRpc.ts'
import { sellVerification } from '../src/services/verification.ts'
import { freshAddress, fundedEoa, manifest, mintUsd, network, publicClient, usd, usdBalance } from './helpers.ts'

const facilitatorUrl = manifest.services.facilitator as string
const ipfsUrl = manifest.services.ipfsHttp as string
const closers: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

function wallet(payer: Parameters<typeof toClientEvmSigner>[0], hosts: string[]) {
  const storage = createMemoryStorage()
  const activity = createActivityLog(storage)
  const policy = createPaymentPolicy(
    { perRequestCap: 100_000n, budget: { amount: 1_000_000n, periodSeconds: 3600 }, allowedHosts: hosts },
    { storage },
  )
  return {
    activity,
    pay: createPayingFetch({
      signer: toClientEvmSigner(payer, publicClient),
      networks: [network],
      policy,
      activity,
      storage,
    }),
  }
}

test('rollup RPC access is sold per request', async () => {
  const rollup = await startLocalRollup({
    l1: publicClient,
    usd: { address: usd, owner: devAccount('deployer').address, balances: {} },
    funded: [],
  })
  closers.push(() => rollup.close())
  const operator = freshAddress()
  const service = await sellRollupRpc({
    rpcUrl: rollup.rpcUrl,
    price: usdPrice(usd, 100n),
    network,
    payTo: operator,
    facilitatorUrl,
  })
  closers.push(() => service.close())
  const unpaid = await fetch(service.url, {
    method: 'POST',
    body: '{}',
    headers: { 'content-type': 'application/json' },
  })
  expect(unpaid.status).toBe(402)

  const buyer = wallet(await fundedEoa(10_000n), [new URL(service.url).host])
  const res = await buyer.pay(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
  })
  expect(res.status).toBe(200)
  expect(await res.json()).toMatchObject({ result: `0x${rollup.chainId.toString(16)}` })
  expect(await usdBalance(operator)).toBe(100n)
})

let node: RollupNode
let inbox: Address
let pinning: SoldService
const PIN_PRICE = 5_000n
const pinOperator = freshAddress()

beforeAll(async () => {
  // The devnet peer takes pins only from keys it allows: the service signs with one of them.
  pinning = await sellPinning({
    ipfsUrl,
    signer: devAccount('user'),
    price: usdPrice(usd, PIN_PRICE),
    network,
    payTo: pinOperator,
    facilitatorUrl,
  })
  closers.push(() => pinning.close())
  inbox = await deployInbox(manifest)
  node = await createRollupNode({ kv: memoryKv(), genesis: testGenesis(), blockTime: 0 })
  closers.push(() => node.close())
  await makeL2Blocks(node, 12, 2)
})

test('the batcher pays the pinning peer through x402 for each batch it pins', async () => {
  await mintUsd(l1Sequencer.address, 1_000_000n)
  const batcherWallet = wallet(l1Sequencer, [new URL(pinning.url).host])
  const { batcher, events } = testBatcher(manifest, {
    node,
    kv: memoryKv(),
    inbox,
    ipfs: paidPinner(pinning.url, batcherWallet.pay),
  })
  await tickUntil(batcher, 'confirmed')
  await batcher.stop()
  const confirmed = events.find((e) => e.type === 'confirmed')
  expect(confirmed).toBeDefined()
  expect(await usdBalance(pinOperator)).toBe(PIN_PRICE)
  const log = await batcherWallet.activity.list()
  expect(log).toHaveLength(1)
  expect(log[0]).toMatchObject({ status: 'settled', payTo: pinOperator, amount: PIN_PRICE.toString() })
  expect(log[0]?.url).toContain('cid=')
  // The peer holds the batch under the CID the batcher committed to on L1.
  const cid = new URL(log[0]?.url as string).searchParams.get('cid')
  expect((await fetch(`${ipfsUrl}/ipfs/${cid}`)).status).toBe(200)
})

test('a pin the peer refuses (bytes do not match the CID) is not paid for', async () => {
  const buyer = wallet(await fundedEoa(100_000n), [new URL(pinning.url).host])
  const before = await usdBalance(pinOperator)
  const res = await buyer.pay(`${pinning.url}?cid=bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array([1, 2, 3]),
  })
  expect(res.ok).toBe(false)
  expect(await usdBalance(pinOperator)).toBe(before)
})

test('verification of the posted batches is sold too', async () => {
  const operator = freshAddress()
  const service = await sellVerification({
    price: usdPrice(usd, 2_000n),
    network,
    payTo: operator,
    facilitatorUrl,
    verify: async () => {
      const result = await deriveChain({
        l1: publicClient as never,
        inbox,
        chainId: node.chainId,
        executor: await createReplayExecutor({ kv: memoryKv(), genesis: testGenesis() }),
        beaconUrl: manifest.l1.beaconUrl,
        ipfsUrl,
      })
      return { ok: result.ok, batches: result.batches, blocks: result.blocks, head: result.head.hash }
    },
  })
  closers.push(() => service.close())
  const buyer = wallet(await fundedEoa(10_000n), [new URL(service.url).host])
  const res = await buyer.pay(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })
  expect(res.status).toBe(200)
  const verdict = await res.json()
  expect(verdict).toMatchObject({ ok: true, batches: 1 })
  expect(verdict.head).toBe((await node.block(node.status().head.number))?.hash)
  expect(await usdBalance(operator)).toBe(2_000n)
})
