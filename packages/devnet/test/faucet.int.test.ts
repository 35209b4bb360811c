/**
 * The devnet faucet (decision 0432) against the real devnet: the stack's own faucet from the
 * manifest, and a second one with tight limits on the same anvil for the limit cases. Hostile
 * cases: bad addresses and bodies, amounts over the cap, repeated requests, a global burst, and a
 * web page's cross-origin requests (what a browser sends for a form post, a no-cors fetch and a
 * JSON fetch's preflight) — none may move a wei.
 */
import { SeedUSDAbi } from '@seed/contracts'
import { type Address, createPublicClient, getAddress, http, parseEther, toHex } from 'viem'
import { generatePrivateKey, mnemonicToAccount, privateKeyToAddress } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { DEV_MNEMONIC } from '../src/accounts.ts'
import { type FaucetInfo, startFaucet } from '../src/faucet/start.ts'

const manifest = inject('manifest')
const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl) })
const stackFaucet = manifest.services.faucet!
const fresh = () => privateKeyToAddress(generatePrivateKey())

type Reply = { status: number; body: Record<string, any>; headers: Headers }

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${url}/drip`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers }
}

const usdOf = (address: Address) =>
  l1.readContract({ address: manifest.contracts.usd, abi: SeedUSDAbi, functionName: 'balanceOf', args: [address] })

describe("the stack's faucet", () => {
  test('drips 1 ETH and 100 Seed USD to a new address, from a key of its own', async () => {
    const to = fresh()
    const reply = await post(stackFaucet, { address: to })
    expect(reply.status, JSON.stringify(reply.body)).toBe(200)
    expect(reply.body).toMatchObject({ address: to, amountEth: '1', amountUsd: '100' })
    expect(await l1.getBalance({ address: to })).toBe(parseEther('1'))
    expect(await usdOf(to)).toBe(100_000_000n)

    const info = (await (await fetch(`${stackFaucet}/info`)).json()) as { address: Address; dripEth: string }
    expect(info.dripEth).toBe('1')
    // Not one of the well-known dev keys anyone can sign with, and never in the manifest.
    const wellKnown = [...Array(20).keys()].map((i) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }).address)
    expect(wellKnown).not.toContain(getAddress(info.address))
    expect(JSON.stringify(manifest).toLowerCase()).not.toContain(info.address.toLowerCase().slice(2))
  })

  test('bad addresses and bodies get a 4xx with a clear JSON error and move nothing', async () => {
    const before = await l1.getBalance({ address: (await (await fetch(`${stackFaucet}/info`)).json()).address })
    const lower = fresh().toLowerCase()
    const cases: [unknown, number, RegExp][] = [
      [{}, 400, /address must be/],
      [{ address: 'abc' }, 400, /address must be/],
      [{ address: `${lower}00` }, 400, /address must be/],
      [{ address: lower.slice(0, 40) }, 400, /address must be/],
      [{ address: 42 }, 400, /address must be/],
      [{ address: getAddress(lower).replace(/[a-f]/, (c) => c.toUpperCase()) }, 400, /checksummed/],
      ['not json', 400, /not valid JSON/],
      ['["0x"]', 400, /JSON object/],
      ['null', 400, /JSON object/],
      [{ address: fresh(), amountEth: '3' }, 400, /At most 2 ETH/],
      [{ address: fresh(), amountEth: '0' }, 400, /more than 0/],
      [{ address: fresh(), amountEth: '-1' }, 400, /decimal string/],
      [{ address: fresh(), amountEth: '1e30' }, 400, /decimal string/],
      [{ address: fresh(), amountEth: 1 }, 400, /decimal string/],
      [{ address: fresh(), pad: 'x'.repeat(5000) }, 413, /at most 1024 bytes/],
    ]
    for (const [body, status, error] of cases) {
      const reply = await post(stackFaucet, body)
      expect([reply.status, reply.body.error], JSON.stringify(body).slice(0, 80)).toEqual([
        status,
        expect.stringMatching(error),
      ])
    }
    const wrongType = await fetch(`${stackFaucet}/drip`, { method: 'POST', body: JSON.stringify({ address: fresh() }) })
    expect(wrongType.status).toBe(415)
    expect(((await wrongType.json()) as { error: string }).error).toMatch(/application\/json/)
    expect((await fetch(`${stackFaucet}/drip`)).status).toBe(405)
    expect((await fetch(`${stackFaucet}/nope`)).status).toBe(404)
    const info = (await (await fetch(`${stackFaucet}/info`)).json()) as { address: Address }
    expect(await l1.getBalance({ address: info.address })).toBe(before)
  })

  test("a web page's cross-origin requests are refused and get no CORS grant; the wallet's origin is served", async () => {
    const victim = fresh()
    // A form post or a no-cors fetch: a "simple" request, sent without a preflight.
    const simple = await post(stackFaucet, JSON.stringify({ address: victim }), {
      'content-type': 'text/plain;charset=UTF-8',
      origin: 'https://evil.example',
    })
    expect(simple.status).toBe(403)
    expect(simple.body.error).toMatch(/web pages are refused/)
    expect(simple.headers.get('access-control-allow-origin')).toBeNull()
    // The same with JSON (after a preflight a page would not get past), from a rebound localhost name too.
    for (const origin of ['https://evil.example', 'http://127.0.0.1:8080', 'null']) {
      const json = await post(stackFaucet, { address: victim }, { origin })
      expect([json.status, json.headers.get('access-control-allow-origin')]).toEqual([403, null])
    }
    const preflight = await fetch(`${stackFaucet}/drip`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull()
    expect(await l1.getBalance({ address: victim })).toBe(0n)

    const wallet = await post(stackFaucet, { address: victim }, { origin: 'chrome-extension://abcdefghijklmnop' })
    expect(wallet.status, JSON.stringify(wallet.body)).toBe(200)
    expect(await l1.getBalance({ address: victim })).toBe(parseEther('1'))
  })

  test('a repeated request for the same address (any casing) is refused until its window passes', async () => {
    const to = fresh()
    expect((await post(stackFaucet, { address: to })).status).toBe(200)
    for (const again of [to, to.toLowerCase()]) {
      const reply = await post(stackFaucet, { address: again, amountEth: '0.1' })
      expect(reply.status).toBe(429)
      expect(reply.body.error).toMatch(/funded a moment ago.*Try again in \d+ s/)
      expect(reply.body.retryAfterSeconds).toBeGreaterThan(500)
    }
    expect(await l1.getBalance({ address: to })).toBe(parseEther('1'))
  })
})

describe('a faucet with tight limits', () => {
  let faucet: FaucetInfo
  beforeAll(async () => {
    const key = generatePrivateKey()
    await l1.request({
      method: 'anvil_setBalance' as never,
      params: [privateKeyToAddress(key), toHex(parseEther('10'))] as never,
    })
    faucet = await startFaucet(key, {
      l1: { chainId: manifest.l1.chainId, rpcUrl: manifest.l1.rpcUrl },
      dripEth: '0.5',
      maxEth: '1',
      limits: { perAddress: { max: 1, windowMs: 60_000 }, global: { max: 3, windowMs: 60_000 } },
    })
  })
  afterAll(() => faucet?.service.stop())

  test('a drip it cannot pay fails with a clear error and gives its slot back', async () => {
    await l1.request({ method: 'anvil_setBalance' as never, params: [faucet.address, '0x0'] as never })
    const to = fresh()
    const reply = await post(faucet.url, { address: to })
    expect([reply.status, reply.body.error]).toEqual([502, expect.stringMatching(/could not send/)])
    await l1.request({
      method: 'anvil_setBalance' as never,
      params: [faucet.address, toHex(parseEther('10'))] as never,
    })
    expect((await post(faucet.url, { address: to })).status).toBe(200)
    expect(await l1.getBalance({ address: to })).toBe(parseEther('0.5'))
  })

  test('a burst from many addresses: concurrent drips all land (one nonce each), then the global limit refuses', async () => {
    const burst = [fresh(), fresh()] // with the drip above: 3 in the window
    const replies = await Promise.all(burst.map((address) => post(faucet.url, { address })))
    expect(replies.map((r) => r.status)).toEqual([200, 200])
    for (const address of burst) expect(await l1.getBalance({ address })).toBe(parseEther('0.5'))

    const late = fresh()
    const refused = await post(faucet.url, { address: late })
    expect(refused.status).toBe(429)
    expect(refused.body.error).toMatch(/faucet is busy: at most 3 drips every 60 s/)
    expect(await l1.getBalance({ address: late })).toBe(0n)
  })
})
