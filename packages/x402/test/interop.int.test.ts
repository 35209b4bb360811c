import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from '@x402/core/http'
import { toClientEvmSigner } from '@x402/evm'
import { ExactEvmScheme } from '@x402/evm/exact/client'
import { wrapFetchWithPayment, x402Client } from '@x402/fetch'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { usdPrice } from '../src/networks.ts'
import { type SoldService, sellService } from '../src/sell/sellService.ts'
import { freshAddress, fundedEoa, manifest, network, publicClient, usd, usdBalance } from './helpers.ts'

const PRICE = 10_000n // 0.01 USDS
const payTo = freshAddress()
let service: SoldService

beforeAll(async () => {
  service = await sellService({
    price: usdPrice(usd, PRICE),
    network,
    payTo,
    method: 'GET',
    path: '/weather',
    facilitatorUrl: manifest.services.facilitator as string,
    handler: (_req, res) => res.json({ forecast: 'sunny' }),
  })
})
afterAll(() => service?.close())

test('the devnet facilitator serves exact on L1', async () => {
  const supported = await (await fetch(`${manifest.services.facilitator}/supported`)).json()
  expect(supported.kinds).toContainEqual(expect.objectContaining({ x402Version: 2, scheme: 'exact', network }))
})

test('an unpaid request gets a v2 402 challenge a browser can read', async () => {
  const res = await fetch(service.url, { headers: { origin: 'http://app.local' } })
  expect(res.status).toBe(402)
  expect(res.headers.get('cache-control')).toContain('no-store')
  expect(res.headers.get('access-control-expose-headers')).toContain('PAYMENT-REQUIRED')
  const challenge = decodePaymentRequiredHeader(res.headers.get('PAYMENT-REQUIRED') as string)
  expect(challenge.x402Version).toBe(2)
  expect(challenge.accepts[0]).toMatchObject({
    scheme: 'exact',
    network,
    asset: usd,
    amount: PRICE.toString(),
    payTo,
    extra: { name: 'Seed USD', version: '2' },
  })
})

test('the reference @x402/fetch client (EOA signer) pays our service and the funds move', async () => {
  const payer = await fundedEoa(1_000_000n)
  const client = new x402Client().register(network, new ExactEvmScheme(toClientEvmSigner(payer, publicClient)))
  client.setSpendControls({ allowedAssets: [{ network, asset: usd, maxAmountPerPayment: '100000' }] })
  const res = await wrapFetchWithPayment(fetch, client)(service.url)
  expect(res.status).toBe(200)
  expect(await res.json()).toEqual({ forecast: 'sunny' })
  const receipt = decodePaymentResponseHeader(res.headers.get('PAYMENT-RESPONSE') as string)
  expect(receipt).toMatchObject({ success: true, network, payer: payer.address })
  const tx = await publicClient.getTransactionReceipt({ hash: receipt.transaction as `0x${string}` })
  expect(tx.status).toBe('success')
  expect(await usdBalance(payTo)).toBe(PRICE)
  expect(await usdBalance(payer.address)).toBe(1_000_000n - PRICE)
})
