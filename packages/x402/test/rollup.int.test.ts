/**
 * x402 on the light rollup: Seed USD is predeployed in the rollup's genesis (same address as on L1), the
 * facilitator settles there, and the payment is confirmed as soon as its block is sealed and written.
 */

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SeedUSDAbi } from '@seed/contracts'
import { devAccount, devPrivateKey } from '@seed/devnet'
import { decodePaymentResponseHeader } from '@x402/core/http'
import { toClientEvmSigner } from '@x402/evm'
import { ExactEvmScheme } from '@x402/evm/exact/client'
import { wrapFetchWithPayment, x402Client } from '@x402/fetch'
import { createPublicClient, type Hex, http } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createFacilitator } from '../src/facilitator/createFacilitator.ts'
import { type FacilitatorServer, startFacilitatorServer } from '../src/facilitator/server.ts'
import { caip2, usdPrice } from '../src/networks.ts'
import { type LocalRollup, startLocalRollup } from '../src/rollup/localRollup.ts'
import { type SoldService, sellService } from '../src/sell/sellService.ts'
import { freshAddress, publicClient as l1, manifest, usd } from './helpers.ts'

const payer = privateKeyToAccount(generatePrivateKey())
const payTo = freshAddress()
const PRICE = 1_000n
let rollup: LocalRollup
const clientFor = (r: LocalRollup) => createPublicClient({ transport: http(r.rpcUrl), pollingInterval: 10 })
let rollupClient: ReturnType<typeof clientFor>
let facilitator: FacilitatorServer
let service: SoldService

beforeAll(async () => {
  rollup = await startLocalRollup({
    l1,
    usd: { address: usd, owner: devAccount('deployer').address, balances: { [payer.address]: 1_000_000n } },
    funded: [devAccount('deployer').address, devAccount('facilitator').address],
    // No interval timer: each payment's block is sealed and written before its tx is answered.
    blockTime: 0,
  })
  rollupClient = clientFor(rollup)
  const { facilitator: f } = createFacilitator({
    privateKey: devPrivateKey('facilitator'),
    networks: [{ chainId: rollup.chainId, rpcUrl: rollup.rpcUrl, name: 'rollup' }],
    eip6492AllowedFactories: [manifest.contracts.seedAccountFactory],
  })
  facilitator = await startFacilitatorServer(f)
  service = await sellService({
    price: usdPrice(usd, PRICE),
    network: caip2(rollup.chainId),
    payTo,
    facilitatorUrl: facilitator.url,
    handler: (_req, res) => res.json({ ok: true }),
  })
}, 60_000)
afterAll(async () => {
  await service?.close()
  await facilitator?.close()
  await rollup?.close()
})

const balance = (of: `0x${string}`) =>
  rollupClient.readContract({ address: usd, abi: SeedUSDAbi, functionName: 'balanceOf', args: [of] })

test('Seed USD is predeployed on the rollup at its L1 address, with the genesis balances', async () => {
  expect(await rollupClient.readContract({ address: usd, abi: SeedUSDAbi, functionName: 'name' })).toBe('Seed USD')
  expect(await rollupClient.readContract({ address: usd, abi: SeedUSDAbi, functionName: 'owner' })).toBe(
    devAccount('deployer').address,
  )
  expect(await balance(payer.address)).toBe(1_000_000n)
  expect(await rollupClient.readContract({ address: usd, abi: SeedUSDAbi, functionName: 'totalSupply' })).toBe(
    1_000_000n,
  )
})

test('a payment on the rollup settles with a soft confirmation before any block is sealed', async () => {
  const network = caip2(rollup.chainId)
  const client = new x402Client().register(network, new ExactEvmScheme(toClientEvmSigner(payer, rollupClient)))
  client.setSpendControls(false)
  const res = await wrapFetchWithPayment(fetch, client)(service.url, { method: 'POST' })
  expect(res.status).toBe(200)
  const receipt = decodePaymentResponseHeader(res.headers.get('PAYMENT-RESPONSE') as string)
  expect(receipt).toMatchObject({ success: true, network, payer: payer.address })
  const tx = await rollupClient.getTransactionReceipt({ hash: receipt.transaction as `0x${string}` })
  expect(tx.status).toBe('success')
  expect(await balance(payTo)).toBe(PRICE)
  // Group commit: the receipt's block is already sealed, on disk and the head (batching to L1 follows).
  expect(rollup.node.status().persistedHead).toBeGreaterThanOrEqual(tx.blockNumber)
  const sealed = await rollup.node.block(tx.blockNumber)
  expect(sealed?.transactionHashes).toContain(receipt.transaction)
})

test('with the upfront flow the seller is paid before its handler runs, one facilitator round trip', async () => {
  const network = caip2(rollup.chainId)
  const seller = freshAddress()
  const facilitatorCalls: string[] = []
  const counting = await startFacilitatorServer(
    createFacilitator({
      privateKey: devPrivateKey('facilitator'),
      networks: [{ chainId: rollup.chainId, rpcUrl: rollup.rpcUrl, name: 'rollup' }],
    }).facilitator,
  )
  counting.server.prependListener('request', (req) => facilitatorCalls.push(req.url ?? ''))
  let paidWhenServed: bigint | undefined
  const upfront = await sellService({
    price: usdPrice(usd, PRICE),
    network,
    payTo: seller,
    paymentFlow: 'upfront',
    facilitatorUrl: counting.url,
    handler: async (_req, res) => {
      paidWhenServed = await balance(seller)
      res.json({ ok: true })
    },
  })
  try {
    const client = new x402Client().register(network, new ExactEvmScheme(toClientEvmSigner(payer, rollupClient)))
    client.setSpendControls(false)
    const res = await wrapFetchWithPayment(fetch, client)(upfront.url, { method: 'POST' })
    expect(res.status).toBe(200)
    expect(decodePaymentResponseHeader(res.headers.get('PAYMENT-RESPONSE') as string)).toMatchObject({
      success: true,
      network,
    })
    expect(paidWhenServed).toBe(PRICE)
    expect(facilitatorCalls.filter((path) => path === '/verify' || path === '/settle')).toEqual(['/settle'])
  } finally {
    await upfront.close()
    await counting.close()
  }
})

/**
 * The rollup's JSON-RPC seen through a relay that records each method the facilitator asks for; `without`
 * answers those methods "method not found", as a node that predates them would.
 */
async function recordingRelay(target: string, without: readonly string[] = []) {
  const methods: string[] = []
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString()
    const calls = [JSON.parse(body)].flat() as { id: number; method: string }[]
    methods.push(...calls.map((c) => c.method))
    const missing = calls.find((c) => without.includes(c.method))
    res.setHeader('content-type', 'application/json')
    if (missing) {
      res.end(JSON.stringify({ jsonrpc: '2.0', id: missing.id, error: { code: -32601, message: 'method not found' } }))
      return
    }
    const answer = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    res.end(await answer.text())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    methods,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Sells on the rollup (upfront flow) through a facilitator that reaches the rollup at `rpcUrl`. */
async function upfrontSale(rpcUrl: string) {
  const facilitatorServer = await startFacilitatorServer(
    createFacilitator({
      privateKey: devPrivateKey('facilitator'),
      networks: [{ chainId: rollup.chainId, rpcUrl, name: 'rollup', simulateInSettle: false }],
      pollingIntervalMs: 5,
    }).facilitator,
  )
  const sale = await sellService({
    price: usdPrice(usd, PRICE),
    network: caip2(rollup.chainId),
    payTo: freshAddress(),
    paymentFlow: 'upfront',
    facilitatorUrl: facilitatorServer.url,
    handler: (_req, res) => res.json({ ok: true }),
  })
  const client = new x402Client().register(
    caip2(rollup.chainId),
    new ExactEvmScheme(toClientEvmSigner(payer, rollupClient)),
  )
  client.setSpendControls(false)
  const pay = wrapFetchWithPayment(fetch, client)
  return {
    async buy() {
      const res = await pay(sale.url, { method: 'POST' })
      expect(res.status).toBe(200)
      return decodePaymentResponseHeader(res.headers.get('PAYMENT-RESPONSE') as string)
    },
    async close() {
      await sale.close()
      await facilitatorServer.close()
    },
  }
}

test('a settlement on the rollup is one round trip to the node: no nonce read, no receipt poll', async () => {
  const relay = await recordingRelay(rollup.rpcUrl)
  const sale = await upfrontSale(relay.url)
  try {
    await sale.buy()
    for (let i = 0; i < 3; i++) {
      relay.methods.length = 0
      const receipt = await sale.buy()
      expect(receipt.success).toBe(true)
      expect(await rollupClient.getTransactionReceipt({ hash: receipt.transaction as Hex })).toMatchObject({
        status: 'success',
      })
      expect(relay.methods).toEqual(['eth_sendRawTransactionSync'])
    }
  } finally {
    await sale.close()
    await relay.close()
  }
})

test('a facilitator whose nonce count went stale (another one used the key) settles at the next try', async () => {
  const first = await upfrontSale(rollup.rpcUrl)
  const second = await upfrontSale(rollup.rpcUrl)
  try {
    expect((await first.buy()).success).toBe(true)
    expect((await second.buy()).success).toBe(true)
    const receipt = await first.buy()
    expect(receipt.success).toBe(true)
    expect(await rollupClient.getTransactionReceipt({ hash: receipt.transaction as Hex })).toMatchObject({
      status: 'success',
    })
  } finally {
    await first.close()
    await second.close()
  }
})

test('on a node without eth_sendRawTransactionSync the facilitator sends and fetches the receipt', async () => {
  const relay = await recordingRelay(rollup.rpcUrl, ['eth_sendRawTransactionSync'])
  const sale = await upfrontSale(relay.url)
  try {
    await sale.buy()
    relay.methods.length = 0
    const receipt = await sale.buy()
    expect(receipt.success).toBe(true)
    expect(relay.methods).toEqual(['eth_sendRawTransaction', 'eth_getTransactionReceipt'])
  } finally {
    await sale.close()
    await relay.close()
  }
})
