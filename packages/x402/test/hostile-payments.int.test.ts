/**
 * A malicious seller against the wallet's paying fetch: it takes the EIP-3009 authorisation, answers
 * `success: false`, and settles the authorisation itself. The amount handed over must stay spent (or the
 * seller drains the account by repetition) until the authorisation expired unused on chain.
 */
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { createMemoryStorage } from '@seed/aa'
import { startIpfsPeer } from '@seed/devnet'
import { encodePaymentResponseHeader } from '@x402/core/http'
import type { PaymentPayload } from '@x402/core/types'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createActivityLog } from '../src/client/activityLog.ts'
import { createPayingFetch, PaymentRefusedError } from '../src/client/payingFetch.ts'
import { createPaymentPolicy } from '../src/client/policy.ts'
import { usdPrice } from '../src/networks.ts'
import { type SoldService, sellService } from '../src/sell/sellService.ts'
import { sellPinning } from '../src/services/pinning.ts'
import { freshAddress, fundedEoa, manifest, network, publicClient, usd, usdBalance } from './helpers.ts'

const PRICE = 10_000n
const POST = { method: 'POST' } as const
const EXPIRING_SECONDS = 10
const payTo = freshAddress()
let honest: SoldService
let expiring: SoldService

/** Collects every authorisation it is handed and answers as if settlement had failed. */
function maliciousSeller(challengeFrom: () => string) {
  const collected: PaymentPayload[] = []
  const server = createServer(async (req, res) => {
    const signature = req.headers['payment-signature']
    const challenge = await fetch(challengeFrom(), { method: 'POST' })
    const required = challenge.headers.get('PAYMENT-REQUIRED') as string
    if (typeof signature === 'string') {
      collected.push(JSON.parse(Buffer.from(signature, 'base64').toString('utf8')))
      res.writeHead(402, {
        'PAYMENT-REQUIRED': required,
        'PAYMENT-RESPONSE': encodePaymentResponseHeader({
          success: false,
          errorReason: 'unexpected_settle_error',
          transaction: '',
          network,
        }),
      })
      return res.end()
    }
    res.writeHead(402, { 'PAYMENT-REQUIRED': required })
    res.end()
  })
  return {
    collected,
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}/`),
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    server: server as Server,
  }
}

/** The CIDv1 (raw, sha2-256, base32) of a batch channel, as the peer computes it. */
function rawBlockCid(bytes: Uint8Array): string {
  const cid = Buffer.concat([Buffer.from([0x01, 0x55, 0x12, 0x20]), createHash('sha256').update(bytes).digest()])
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  let bits = 0
  let value = 0
  let out = 'b'
  for (const byte of cid) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return out
}

const facilitator = (path: 'settle', paymentPayload: PaymentPayload) =>
  fetch(`${manifest.services.facilitator}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ x402Version: 2, paymentPayload, paymentRequirements: paymentPayload.accepted }),
  }).then((r) => r.json())

beforeAll(async () => {
  const common = {
    price: usdPrice(usd, PRICE),
    network,
    payTo,
    facilitatorUrl: manifest.services.facilitator as string,
  }
  honest = await sellService({ ...common, handler: (_req, res) => res.json({ ok: true }) })
  expiring = await sellService({
    ...common,
    maxTimeoutSeconds: EXPIRING_SECONDS,
    handler: (_req, res) => res.json({ ok: true }),
  })
})
afterAll(async () => {
  await honest?.close()
  await expiring?.close()
})

async function wallet(budget: bigint) {
  const payer = await fundedEoa(1_000_000n)
  const storage = createMemoryStorage()
  const policy = createPaymentPolicy(
    { perRequestCap: PRICE, budget: { amount: budget, periodSeconds: 3600 } },
    { storage },
  )
  const pay = createPayingFetch({
    signer: payer,
    networks: [network],
    policy,
    activity: createActivityLog(storage),
    storage,
    publicClients: { [network]: publicClient },
  })
  return { payer, policy, pay }
}

test('a seller answering success:false cannot drain the budget by repetition: what was handed over stays spent', async () => {
  const seller = maliciousSeller(() => honest.url)
  const url = await seller.listen()
  try {
    const { payer, policy, pay } = await wallet(3n * PRICE)
    for (let i = 0; i < 3; i++) expect((await pay(url, POST)).status).toBe(402)
    await expect(pay(url, POST)).rejects.toThrow(PaymentRefusedError)
    await expect(pay(url, POST)).rejects.toThrow(/over budget/)
    expect(seller.collected).toHaveLength(3)
    expect(await policy.spent()).toBe(3n * PRICE)
    // The seller settles what it collected: the payer loses its budget and no more.
    for (const payload of seller.collected)
      expect(await facilitator('settle', payload)).toMatchObject({ success: true })
    expect(await usdBalance(payer.address)).toBe(1_000_000n - 3n * PRICE)
  } finally {
    await seller.close()
  }
})

test('an authorisation that expired unused on chain is given back to the budget; a used one never is', async () => {
  const seller = maliciousSeller(() => expiring.url)
  const url = await seller.listen()
  try {
    const { payer, policy, pay } = await wallet(2n * PRICE)
    expect((await pay(url, POST)).status).toBe(402)
    expect((await pay(url, POST)).status).toBe(402)
    expect(await policy.spent()).toBe(2n * PRICE)
    // The seller settles the first in time and lets the second expire.
    expect(await facilitator('settle', seller.collected[0] as PaymentPayload)).toMatchObject({ success: true })
    const validBefore = Number(
      ((seller.collected[1] as PaymentPayload).payload as { authorization: { validBefore: string } }).authorization
        .validBefore,
    )
    await new Promise((r) => setTimeout(r, Math.max(0, validBefore * 1000 - Date.now()) + 1_500))
    // The next payment first looks the expired authorisations up: the unused one is released, so it fits.
    expect((await pay(expiring.url, POST)).status).toBe(200)
    expect(await policy.spent()).toBe(2n * PRICE)
    expect(await usdBalance(payer.address)).toBe(1_000_000n - 2n * PRICE)
    await expect(pay(expiring.url, POST)).rejects.toThrow(/over budget/)
  } finally {
    await seller.close()
  }
})

test('pinning is pay-gated: a stranger cannot pin on the peer directly, only by paying the pinning service', async () => {
  const operator = privateKeyToAccount(generatePrivateKey())
  const ipfs = await startIpfsPeer({ pinners: [operator.address] })
  const pinning = await sellPinning({
    ipfsUrl: ipfs.url,
    signer: operator,
    price: usdPrice(usd, PRICE),
    network,
    payTo: operator.address,
    facilitatorUrl: manifest.services.facilitator as string,
  })
  try {
    const bytes = new TextEncoder().encode(`a stranger's batch ${Math.random()}`)
    const cid = rawBlockCid(bytes)
    const direct = await fetch(`${ipfs.url}/pin?cid=${cid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    })
    expect(direct.status).toBe(401)
    const { pay } = await wallet(1_000_000n)
    const paid = await pay(`${pinning.url}?cid=${cid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    })
    expect(paid.status).toBe(200)
    expect(paid.payment).toMatchObject({ success: true })
    expect((await fetch(`${ipfs.url}/ipfs/${cid}`)).status).toBe(200)
  } finally {
    await pinning.close()
    await ipfs.service.stop()
  }
})
