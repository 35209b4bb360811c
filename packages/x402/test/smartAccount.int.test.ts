/**
 * Our wallet-side fetch with the agent's SeedAccount as signer pays a reference @x402/express server: first
 * counterfactually (ERC-6492: the facilitator deploys the account, then settles), then deployed (ERC-1271).
 * The policy refuses an over-budget payment before anything is signed, and a retried request never pays twice.
 */

import type { Server } from 'node:http'
import { createGuard, createMemoryStorage } from '@seed/aa'
import { SeedAccountFactoryAbi } from '@seed/contracts'
import { HTTPFacilitatorClient } from '@x402/core/server'
import { ExactEvmScheme } from '@x402/evm/exact/server'
import { paymentMiddleware, x402ResourceServer } from '@x402/express'
import express from 'express'
import type { Address } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { aaPaymentPolicy } from '../src/client/aaPolicy.ts'
import { createActivityLog } from '../src/client/activityLog.ts'
import { AlreadyPaidError, createPayingFetch, PaymentRefusedError } from '../src/client/payingFetch.ts'
import { createPaymentPolicy } from '../src/client/policy.ts'
import { toSeedAccountSigner } from '../src/client/smartAccountSigner.ts'
import { usdPrice } from '../src/networks.ts'
import { freshAddress, manifest, mintUsd, network, publicClient, usd, usdBalance } from './helpers.ts'

const PRICE = 20_000n
const payTo = freshAddress()
let server: Server
let url: string
let hits = 0

beforeAll(async () => {
  // The reference server: @x402/express middleware as its README shows, pointed at the devnet facilitator.
  const resourceServer = new x402ResourceServer(new HTTPFacilitatorClient({ url: manifest.services.facilitator }))
  resourceServer.register(network, new ExactEvmScheme())
  const app = express()
  app.use(
    paymentMiddleware(
      { 'GET /report': { accepts: { scheme: 'exact', network, payTo, price: usdPrice(usd, PRICE) } } },
      resourceServer,
    ),
  )
  app.get('/report', (_req, res) => {
    hits++
    res.json({ report: 'ok' })
  })
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const address = server.address() as { port: number }
  url = `http://127.0.0.1:${address.port}/report`
})
afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())))

/** A fresh owner key and its counterfactual SeedAccount, holding 1 USDS (not deployed yet). */
async function fundedSeedAccount() {
  const owner = privateKeyToAccount(generatePrivateKey())
  const factory = manifest.contracts.seedAccountFactory
  const address = (await publicClient.readContract({
    address: factory,
    abi: SeedAccountFactoryAbi,
    functionName: 'getAddress',
    args: [owner.address, 0n],
  })) as Address
  await mintUsd(address, 1_000_000n)
  return { owner, factory, address }
}

async function agentWallet(rules: { budget: bigint; approvalThreshold?: bigint; approve?: () => Promise<boolean> }) {
  const { owner, factory, address } = await fundedSeedAccount()
  const storage = createMemoryStorage()
  const activity = createActivityLog(storage)
  const policy = createPaymentPolicy(
    {
      perRequestCap: 100_000n,
      budget: { amount: rules.budget, periodSeconds: 3600 },
      allowedPayees: [payTo],
      allowedHosts: [new URL(url).host],
      allowedAssets: [usd],
      approvalThreshold: rules.approvalThreshold,
      approve: rules.approve,
    },
    { storage },
  )
  const signer = toSeedAccountSigner({ address, owner, factory, clients: [publicClient] })
  const pay = createPayingFetch({ signer, networks: [network], policy, activity, storage })
  return { address, pay, activity, policy }
}

test('a counterfactual smart account pays (ERC-6492), then pays again once deployed (ERC-1271)', async () => {
  const wallet = await agentWallet({ budget: 1_000_000n })
  expect(await publicClient.getCode({ address: wallet.address })).toBeUndefined()

  const first = await wallet.pay(url)
  expect(first.status).toBe(200)
  expect(first.payment).toMatchObject({ success: true, payer: wallet.address, network })
  // The facilitator deployed the account from the 6492 wrapper before settling.
  expect(await publicClient.getCode({ address: wallet.address })).toBeDefined()

  const second = await wallet.pay(url)
  expect(second.status).toBe(200)
  expect(second.payment?.transaction).not.toBe(first.payment?.transaction)
  expect(await usdBalance(payTo)).toBe(2n * PRICE)
  expect(await usdBalance(wallet.address)).toBe(1_000_000n - 2n * PRICE)

  const log = await wallet.activity.list()
  expect(log.map((e) => [e.status, e.transaction])).toEqual([
    ['settled', first.payment?.transaction],
    ['settled', second.payment?.transaction],
  ])
  expect(await wallet.policy.spent()).toBe(2n * PRICE)
})

test('the policy refuses an over-budget payment before signing; nothing moves', async () => {
  const wallet = await agentWallet({ budget: PRICE + PRICE / 2n })
  expect((await wallet.pay(url)).status).toBe(200)
  const before = await usdBalance(wallet.address)
  const hitsBefore = hits
  await expect(wallet.pay(url)).rejects.toThrow(PaymentRefusedError)
  await expect(wallet.pay(url)).rejects.toThrow(/over budget/)
  expect(hits).toBe(hitsBefore)
  expect(await usdBalance(wallet.address)).toBe(before)
  expect((await wallet.activity.list()).map((e) => e.status)).toEqual(['settled', 'refused', 'refused'])
})

test('payments above the approval threshold wait for the human', async () => {
  let asked = 0
  const refused = await agentWallet({
    budget: 1_000_000n,
    approvalThreshold: PRICE - 1n,
    approve: async () => {
      asked++
      return false
    },
  })
  await expect(refused.pay(url)).rejects.toThrow(/needs approval/)
  const approved = await agentWallet({
    budget: 1_000_000n,
    approvalThreshold: PRICE - 1n,
    approve: async () => {
      asked++
      return true
    },
  })
  expect((await approved.pay(url)).status).toBe(200)
  expect(asked).toBe(2)
})

test('a retried request with the same idempotency key never pays twice', async () => {
  const wallet = await agentWallet({ budget: 1_000_000n })
  const paid = await wallet.pay(url, { idempotencyKey: 'order-42' })
  expect(paid.status).toBe(200)
  const balance = await usdBalance(wallet.address)
  await expect(wallet.pay(url, { idempotencyKey: 'order-42' })).rejects.toThrow(AlreadyPaidError)
  expect(await usdBalance(wallet.address)).toBe(balance)
  // A new key is a new purchase.
  expect((await wallet.pay(url, { idempotencyKey: 'order-43' })).status).toBe(200)
  expect(await usdBalance(wallet.address)).toBe(balance - PRICE)
})

test('a retry after a lost answer resends the same authorisation: the funds move once', async () => {
  const { owner, factory, address } = await fundedSeedAccount()
  const storage = createMemoryStorage()
  const policy = createPaymentPolicy(
    { perRequestCap: PRICE, budget: { amount: 10n * PRICE, periodSeconds: 60 } },
    { storage },
  )
  // The network drops the answer to the first paid request (after the server settled it).
  let dropped = false
  const flaky: typeof fetch = async (input, init) => {
    const res = await fetch(input, init)
    if (!dropped && new Request(input, init).headers.has('PAYMENT-SIGNATURE')) {
      dropped = true
      throw new TypeError('fetch failed: connection reset')
    }
    return res
  }
  const pay = createPayingFetch({
    signer: toSeedAccountSigner({ address, owner, factory, clients: [publicClient] }),
    networks: [network],
    policy,
    activity: createActivityLog(storage),
    storage,
    fetch: flaky,
  })
  await expect(pay(url, { idempotencyKey: 'job-7' })).rejects.toThrow(/connection reset/)
  expect(await usdBalance(address)).toBe(1_000_000n - PRICE)
  // The retry resends the stored authorisation (same nonce); the token refuses a second use, nothing is signed anew.
  await expect(pay(url, { idempotencyKey: 'job-7' })).rejects.toThrow(PaymentRefusedError)
  expect(await usdBalance(address)).toBe(1_000_000n - PRICE)
  expect(await policy.spent()).toBe(PRICE)
})

test("@seed/aa's policy engine gates x402 payments: over budget is refused and audited", async () => {
  const { owner, factory, address } = await fundedSeedAccount()
  const storage = createMemoryStorage()
  const guard = createGuard({
    storage,
    policy: {
      budgets: [{ asset: usd, limit: PRICE + PRICE / 2n, periodSeconds: 3600 }],
      perTxCap: { [usd.toLowerCase()]: PRICE },
    },
  })
  const pay = createPayingFetch({
    signer: toSeedAccountSigner({ address, owner, factory, clients: [publicClient] }),
    networks: [network],
    policy: aaPaymentPolicy({ guard, account: address, requestedBy: 'test-agent', allowedHosts: [new URL(url).host] }),
    activity: createActivityLog(storage),
    storage,
  })
  expect((await pay(url)).status).toBe(200)
  const before = await usdBalance(address)
  await expect(pay(url)).rejects.toThrow(/budget/i)
  expect(await usdBalance(address)).toBe(before)
  const audit = await guard.auditLog()
  expect(audit.map((e) => e.decision)).toEqual(['allow', 'deny'])
  expect(audit[1]?.reasons?.map((r) => r.code)).toContain('budget')
})
