/**
 * x402 on the light rollup: Seed USD is predeployed in the rollup's genesis (same address as on L1), the
 * facilitator settles there, and the payment is confirmed as soon as its block is sealed and written.
 */

import { SeedUSDAbi } from '@seed/contracts'
import { devAccount, devPrivateKey } from '@seed/devnet'
import { decodePaymentResponseHeader } from '@x402/core/http'
import { toClientEvmSigner } from '@x402/evm'
import { ExactEvmScheme } from '@x402/evm/exact/client'
import { wrapFetchWithPayment, x402Client } from '@x402/fetch'
import { createPublicClient, http } from 'viem'
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
