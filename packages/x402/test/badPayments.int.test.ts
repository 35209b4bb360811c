/**
 * Bad payments are refused with the exact scheme's reasons, by the facilitator (/verify and /settle) and by a
 * sold service (402), and no funds move.
 */
import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from '@x402/core/http'
import type { PaymentPayload, PaymentRequired, PaymentRequirements } from '@x402/core/types'
import { toClientEvmSigner } from '@x402/evm'
import { ExactEvmScheme } from '@x402/evm/exact/client'
import { x402Client } from '@x402/fetch'
import type { PrivateKeyAccount } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ExactEvmReason } from '../src/errorReasons.ts'
import { usdPrice } from '../src/networks.ts'
import { type SoldService, sellService } from '../src/sell/sellService.ts'
import { freshAddress, fundedEoa, manifest, network, publicClient, usd, usdBalance } from './helpers.ts'

const PRICE = 50_000n
const payTo = freshAddress()
const facilitatorUrl = manifest.services.facilitator as string
let service: SoldService
let challenge: PaymentRequired
let payer: PrivateKeyAccount

beforeAll(async () => {
  service = await sellService({
    price: usdPrice(usd, PRICE),
    network,
    payTo,
    facilitatorUrl,
    handler: (_req, res) => res.json({ served: true }),
  })
  challenge = decodePaymentRequiredHeader(
    (await fetch(service.url, { method: 'POST' })).headers.get('PAYMENT-REQUIRED')!,
  )
  payer = await fundedEoa(1_000_000n)
})
afterAll(() => service?.close())

const requirements = () => challenge.accepts[0] as PaymentRequirements

/** Signs with the reference client against requirements `signed` (possibly not what the server asked). */
async function sign(signer: PrivateKeyAccount, signed: Partial<PaymentRequirements> = {}): Promise<PaymentPayload> {
  const client = new x402Client().register(network, new ExactEvmScheme(toClientEvmSigner(signer, publicClient)))
  client.setSpendControls(false)
  return client.createPaymentPayload({ ...challenge, accepts: [{ ...requirements(), ...signed }] })
}

async function facilitator(path: 'verify' | 'settle', paymentPayload: PaymentPayload) {
  const res = await fetch(`${facilitatorUrl}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ x402Version: 2, paymentPayload, paymentRequirements: requirements() }),
  })
  return res.json()
}

async function payService(paymentPayload: PaymentPayload) {
  return fetch(service.url, {
    method: 'POST',
    headers: { 'PAYMENT-SIGNATURE': encodePaymentSignatureHeader(paymentPayload) },
  })
}

/** Asserts the refusal everywhere and that neither side's balance changed. */
async function expectRefused(paymentPayload: PaymentPayload, reason: string, serverReason = reason) {
  const from = (paymentPayload.payload as { authorization: { from: `0x${string}` } }).authorization.from
  const before = [await usdBalance(from), await usdBalance(payTo)]
  expect(await facilitator('verify', paymentPayload)).toMatchObject({ isValid: false, invalidReason: reason })
  expect(await facilitator('settle', paymentPayload)).toMatchObject({ success: false, errorReason: reason })
  const res = await payService(paymentPayload)
  expect(res.status).toBe(402)
  // The server relays the facilitator's reason; a payment for another network never reaches the facilitator.
  expect(decodePaymentRequiredHeader(res.headers.get('PAYMENT-REQUIRED')!).error).toBe(serverReason)
  expect(await res.text()).not.toContain('served')
  expect([await usdBalance(from), await usdBalance(payTo)]).toEqual(before)
}

describe('refused with the spec reason, no funds move', () => {
  test('wrong amount (authorised less than the price)', async () => {
    const payload = await sign(payer, { amount: (PRICE - 1n).toString() })
    // Present it as if for the real requirements: the authorised value no longer matches.
    await expectRefused({ ...payload, accepted: requirements() }, ExactEvmReason.valueMismatch)
  })

  test('expired authorisation', async () => {
    const payload = await sign(payer, { maxTimeoutSeconds: 1 })
    await expectRefused({ ...payload, accepted: requirements() }, ExactEvmReason.validBeforeExpired)
  })

  test('wrong payee', async () => {
    const payload = await sign(payer, { payTo: freshAddress() })
    await expectRefused({ ...payload, accepted: requirements() }, ExactEvmReason.recipientMismatch)
  })

  test('wrong network', async () => {
    const payload = await sign(payer)
    await expectRefused(
      { ...payload, accepted: { ...requirements(), network: 'eip155:8453' } },
      ExactEvmReason.networkMismatch,
      'No matching payment requirements',
    )
  })

  test('insufficient funds', async () => {
    const poor = await fundedEoa(PRICE - 1n)
    await expectRefused(await sign(poor), ExactEvmReason.insufficientBalance)
  })

  test('forged signature (someone else signs for the payer)', async () => {
    const payload = await sign(await fundedEoa(0n))
    const forged = {
      ...payload,
      payload: {
        ...payload.payload,
        authorization: { ...(payload.payload as { authorization: object }).authorization, from: payer.address },
      },
    }
    await expectRefused(forged, ExactEvmReason.invalidSignature)
  })

  test('replayed nonce: the second use of a settled authorisation is refused', async () => {
    const payload = await sign(payer)
    const first = await payService(payload)
    expect(first.status).toBe(200)
    expect(await usdBalance(payTo)).toBe(PRICE)
    await expectRefused(payload, ExactEvmReason.nonceAlreadyUsed)
    expect(await usdBalance(payTo)).toBe(PRICE)
  })
})
