import { createMemoryStorage } from '@seed/aa'
import { expect, test } from 'vitest'
import { createPaymentPolicy, type PaymentIntent } from './policy.ts'

const payee = '0x00000000000000000000000000000000000000aa'
const asset = '0x00000000000000000000000000000000000000bb'
const intent = (amount: bigint, over: Partial<PaymentIntent> = {}): PaymentIntent => ({
  url: 'http://shop.local:8080/x',
  payTo: payee,
  asset,
  amount,
  network: 'eip155:31337',
  ...over,
})

test('caps, allowlists and the budget per period', async () => {
  let now = 1_000_000
  const policy = createPaymentPolicy(
    {
      perRequestCap: 50n,
      budget: { amount: 100n, periodSeconds: 60 },
      allowedPayees: [payee],
      allowedHosts: ['shop.local:8080'],
    },
    { storage: createMemoryStorage(), now: () => now },
  )
  expect(await policy.authorize(intent(51n))).toMatchObject({ allowed: false, reason: expect.stringMatching(/cap/) })
  expect(await policy.authorize(intent(1n, { payTo: asset }))).toMatchObject({ reason: expect.stringMatching(/payee/) })
  expect(await policy.authorize(intent(1n, { url: 'http://evil.local/x' }))).toMatchObject({
    reason: expect.stringMatching(/host/),
  })
  expect(await policy.authorize(intent(50n))).toEqual({ allowed: true })
  expect(await policy.authorize(intent(50n))).toEqual({ allowed: true })
  expect(await policy.authorize(intent(1n))).toMatchObject({ reason: expect.stringMatching(/over budget/) })
  await policy.release(intent(50n))
  expect(await policy.authorize(intent(50n))).toEqual({ allowed: true })
  now += 60_000 // next period
  expect(await policy.spent()).toBe(0n)
  expect(await policy.authorize(intent(50n))).toEqual({ allowed: true })
})

test('concurrent payments cannot both take the last of the budget', async () => {
  const policy = createPaymentPolicy(
    { perRequestCap: 100n, budget: { amount: 100n, periodSeconds: 60 } },
    { storage: createMemoryStorage() },
  )
  const results = await Promise.all([policy.authorize(intent(60n)), policy.authorize(intent(60n))])
  expect(results.filter((r) => r.allowed)).toHaveLength(1)
})
