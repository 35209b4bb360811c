/**
 * Payment channels under attack: a payer racing the payee with a short close delay, a front-runner
 * re-targeting an `openWithAuthorization`, a facilitator restart losing (and re-accepting) vouchers, a
 * payer closing while vouchers wait for the periodic claim, a contract payer voiding unclaimed vouchers.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SeedAccountFactoryAbi, SeedPaymentChannelAbi } from '@seed/contracts'
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types'
import { createWalletClient, type Hex, http, keccak256, toHex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { ChannelFacilitatorScheme } from '../src/channel/facilitator.ts'
import { createFileVoucherStore } from '../src/channel/fileVoucherStore.ts'
import { voucherTypedData } from '../src/channel/voucher.ts'
import { toSeedAccountSigner } from '../src/client/smartAccountSigner.ts'
import { createFacilitator, type SeedFacilitator } from '../src/facilitator/createFacilitator.ts'
import {
  freshAddress,
  fundedEoa,
  manifest,
  mintUsd,
  network,
  openChannel,
  publicClient,
  send,
  usd,
  usdBalance,
  withGas,
} from './helpers.ts'

const contract = manifest.contracts.paymentChannel
const chainId = manifest.l1.chainId
const HOUR = 3600n
const PRICE = 25n

/** EIP-3009 `receiveWithAuthorization` of Seed USD paying the channel contract. */
const receiveAuthorization = (from: Hex, value: bigint, validBefore: bigint, nonce: Hex) =>
  ({
    domain: { name: 'Seed USD', version: '2', chainId, verifyingContract: usd },
    types: {
      ReceiveWithAuthorization: [
        { name: 'from', type: 'address' },
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'validAfter', type: 'uint256' },
        { name: 'validBefore', type: 'uint256' },
        { name: 'nonce', type: 'bytes32' },
      ],
    },
    primaryType: 'ReceiveWithAuthorization',
    message: { from, to: contract, value, validAfter: 0n, validBefore, nonce },
  }) as const

const requirementsFor = (payTo: Hex): PaymentRequirements => ({
  scheme: 'channel',
  network,
  asset: usd,
  amount: PRICE.toString(),
  payTo,
  maxTimeoutSeconds: 60,
  extra: { channelContract: contract },
})

/** The voucher for `cumulative` on the channel, as the seller would forward it to the facilitator. */
type VoucherSigner = { address: Hex; signTypedData(typedData: never): Promise<Hex> }
async function voucherPayment(payer: VoucherSigner, channelId: Hex, payTo: Hex, cumulative: bigint) {
  const accepted = requirementsFor(payTo)
  const signature = await payer.signTypedData(voucherTypedData(contract, chainId, channelId, cumulative) as never)
  const payload: PaymentPayload = {
    x402Version: 2,
    accepted,
    resource: { url: 'http://seller.test/', description: '', mimeType: 'application/json' },
    payload: { channelId, cumulativeAmount: cumulative.toString(), payer: payer.address, signature },
  }
  return { payload, requirements: accepted }
}

/** A facilitator of our own (its own gas key), so no periodic claim runs behind the test's back. */
async function ownFacilitator(options: Parameters<typeof createFacilitator>[0]['channels'] = {}) {
  const key = generatePrivateKey()
  await withGas(privateKeyToAccount(key))
  return createFacilitator({
    privateKey: key,
    networks: [{ chainId, rpcUrl: manifest.l1.rpcUrl, channelContract: contract }],
    channels: options,
    closeWatchIntervalMs: 200,
  })
}

const pay = async (facilitator: SeedFacilitator, payment: Awaited<ReturnType<typeof voucherPayment>>) =>
  facilitator.facilitator.settle(payment.payload, payment.requirements)

describe('SeedPaymentChannel', () => {
  test('a close delay under MIN_CLOSE_DELAY is refused at open (0 let the payer withdraw before any claim)', async () => {
    expect(
      await publicClient.readContract({
        address: contract,
        abi: SeedPaymentChannelAbi,
        functionName: 'MIN_CLOSE_DELAY',
      }),
    ).toBe(HOUR)
    await expect(openChannel(freshAddress(), 1_000n, 0n)).rejects.toThrow(/CloseDelayTooShort|reverted/)
    await expect(openChannel(freshAddress(), 1_000n, HOUR - 1n)).rejects.toThrow(/CloseDelayTooShort|reverted/)
    await openChannel(freshAddress(), 1_000n, HOUR)
  })

  test("openWithAuthorization: the payer's signature binds payee, close delay and salt; a front-runner cannot re-target it", async () => {
    const payer = await fundedEoa(1_000n)
    const payee = freshAddress()
    const attacker = await withGas(privateKeyToAccount(generatePrivateKey()))
    const salt = keccak256(toHex('open-binding'))
    const nonce = (await publicClient.readContract({
      address: contract,
      abi: SeedPaymentChannelAbi,
      functionName: 'openNonce',
      args: [payee, HOUR, salt],
    })) as Hex
    const validBefore = BigInt(Math.floor(Date.now() / 1000) + 600)
    const signature = await payer.signTypedData(receiveAuthorization(payer.address, 1_000n, validBefore, nonce))
    const open = (to: Hex, closeDelay: bigint, withSalt: Hex) =>
      send(attacker, {
        address: contract,
        abi: SeedPaymentChannelAbi,
        functionName: 'openWithAuthorization',
        args: [payer.address, to, usd, 1_000n, closeDelay, withSalt, 0n, validBefore, signature],
      })
    // Another payee, a longer close delay (funds hostage), another salt (the payer's channel id lost): all refused.
    await expect(open(attacker.address, HOUR, salt)).rejects.toThrow()
    await expect(open(payee, 365n * 24n * HOUR, salt)).rejects.toThrow()
    await expect(open(payee, HOUR, keccak256(toHex('other')))).rejects.toThrow()
    expect(await usdBalance(payer.address)).toBe(1_000n)
    // Submitted as signed, anyone's submission opens the payer's channel.
    await open(payee, HOUR, salt)
    const id = await publicClient.readContract({
      address: contract,
      abi: SeedPaymentChannelAbi,
      functionName: 'channelId',
      args: [payer.address, payee, usd, salt],
    })
    const [owner, to, , closeDelay, , deposit] = await publicClient.readContract({
      address: contract,
      abi: SeedPaymentChannelAbi,
      functionName: 'channels',
      args: [id],
    })
    expect([owner, to, closeDelay, deposit]).toEqual([payer.address, payee, HOUR, 1_000n])
  })
})

describe('channel facilitator', () => {
  let directory: string
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'seed-vouchers-'))
  })
  afterAll(() => rm(directory, { recursive: true, force: true }))

  test('refuses vouchers on a channel whose close delay is under its floor', async () => {
    const payTo = freshAddress()
    const { payer, channelId } = await openChannel(payTo, 1_000n, HOUR)
    const key = generatePrivateKey()
    const wallet = createWalletClient({
      chain: foundry,
      transport: http(manifest.l1.rpcUrl),
      account: privateKeyToAccount(key),
    })
    const strict = new ChannelFacilitatorScheme(network, contract, publicClient as never, wallet as never, {
      minCloseDelay: 2n * HOUR,
    })
    const { payload, requirements } = await voucherPayment(payer, channelId, payTo, PRICE)
    expect(await strict.verify(payload, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'invalid_channel_close_delay',
    })
  })

  test('claims a channel at once when its payer requests to close, without waiting for the periodic claim', async () => {
    const facilitator = await ownFacilitator()
    const watching = await facilitator.start()
    try {
      const payTo = freshAddress()
      const { payer, channelId } = await openChannel(payTo, 1_000n)
      for (let i = 1n; i <= 4n; i++) {
        expect(await pay(facilitator, await voucherPayment(payer, channelId, payTo, i * PRICE))).toMatchObject({
          success: true,
        })
      }
      expect(await usdBalance(payTo)).toBe(0n)
      await send(payer, {
        address: contract,
        abi: SeedPaymentChannelAbi,
        functionName: 'requestClose',
        args: [channelId],
      })
      await vi.waitFor(async () => expect(await usdBalance(payTo)).toBe(4n * PRICE), { timeout: 30_000, interval: 200 })
    } finally {
      watching.stop()
    }
  })

  test("a contract payer's unclaimed total is bounded: beyond it the channel is claimed first (an owner rotation voids unclaimed vouchers)", async () => {
    const submitter = await withGas(privateKeyToAccount(generatePrivateKey()))
    const owner = privateKeyToAccount(generatePrivateKey())
    const factory = manifest.contracts.seedAccountFactory
    await send(submitter, {
      address: factory,
      abi: SeedAccountFactoryAbi,
      functionName: 'createAccount',
      args: [owner.address, 0n],
    })
    const account = (await publicClient.readContract({
      address: factory,
      abi: SeedAccountFactoryAbi,
      functionName: 'getAddress',
      args: [owner.address, 0n],
    })) as Hex
    await mintUsd(account, 1_000n)
    const payer = toSeedAccountSigner({ address: account, owner, factory, clients: [publicClient as never] })
    const payTo = freshAddress()
    const salt = keccak256(toHex('contract-payer'))
    const nonce = (await publicClient.readContract({
      address: contract,
      abi: SeedPaymentChannelAbi,
      functionName: 'openNonce',
      args: [payTo, HOUR, salt],
    })) as Hex
    const validBefore = BigInt(Math.floor(Date.now() / 1000) + 600)
    const authorization = await payer.signTypedData(receiveAuthorization(account, 1_000n, validBefore, nonce) as never)
    await send(submitter, {
      address: contract,
      abi: SeedPaymentChannelAbi,
      functionName: 'openWithAuthorization',
      args: [account, payTo, usd, 1_000n, HOUR, salt, 0n, validBefore, authorization],
    })
    const channelId = (await publicClient.readContract({
      address: contract,
      abi: SeedPaymentChannelAbi,
      functionName: 'channelId',
      args: [account, payTo, usd, salt],
    })) as Hex

    const facilitator = await ownFacilitator({ contractPayerMaxUnclaimed: 2n * PRICE })
    const v = (n: bigint) => voucherPayment(payer as VoucherSigner, channelId, payTo, n * PRICE)
    expect(await pay(facilitator, await v(1n))).toMatchObject({ success: true })
    expect(await pay(facilitator, await v(2n))).toMatchObject({ success: true })
    // A third would leave 3 prices at the mercy of the account's next owner: refused, and the two are claimed.
    const third = await v(3n)
    expect(await pay(facilitator, third)).toMatchObject({
      success: false,
      errorReason: 'invalid_channel_unclaimed_exposure',
    })
    await vi.waitFor(async () => expect(await usdBalance(payTo)).toBe(2n * PRICE), { timeout: 30_000, interval: 200 })
    expect(await pay(facilitator, third)).toMatchObject({ success: true })
  })

  test('accepted vouchers survive a restart: never accepted twice, claimed at start-up', async () => {
    const path = join(directory, 'vouchers.json')
    const payTo = freshAddress()
    const { payer, channelId } = await openChannel(payTo, 1_000n)
    const first = await ownFacilitator({ store: createFileVoucherStore(path) })
    const payments = []
    for (let i = 1n; i <= 3n; i++) payments.push(await voucherPayment(payer, channelId, payTo, i * PRICE))
    for (const payment of payments) expect(await pay(first, payment)).toMatchObject({ success: true })

    // The process dies before its periodic claim; a new one starts on the same file.
    const second = await ownFacilitator({ store: createFileVoucherStore(path) })
    for (const channels of second.channels) await channels.restore()
    // Re-presenting a voucher the first process accepted buys nothing.
    expect(await pay(second, payments[2] as (typeof payments)[number])).toMatchObject({
      success: false,
      errorReason: 'invalid_channel_voucher_amount',
    })
    const started = await second.start()
    started.stop()
    expect(await usdBalance(payTo)).toBe(3n * PRICE)
  })
})

describe('facilitator HTTP API', () => {
  const url = manifest.services.facilitator as string

  test('POST /claim (an L1 transaction on the facilitator gas) needs the operator token', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-of-some-length', 'Basic x']) {
      const res = await fetch(`${url}/claim`, {
        method: 'POST',
        headers: authorization ? { authorization } : {},
      })
      expect(res.status).toBe(401)
    }
    const res = await fetch(`${url}/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${manifest.operator?.facilitatorAdminToken}` },
    })
    expect(res.status).toBe(200)
  })

  test('no CORS: a web page cannot read or drive the facilitator', async () => {
    const origin = 'https://evil.example'
    const preflight = await fetch(`${url}/settle`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    const supported = await fetch(`${url}/supported`, { headers: { origin } })
    expect(supported.headers.get('access-control-allow-origin')).toBeNull()
  })
})
