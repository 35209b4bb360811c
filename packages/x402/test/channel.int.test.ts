/**
 * SeedPaymentChannel (one deposit, many cumulative EIP-712 vouchers, periodic claims) and the x402 `channel`
 * scheme on top of it: many paid requests, no transaction each, one claim moves the total.
 */
import { SeedPaymentChannelAbi, SeedPaymentChannelBytecode, SeedUSDAbi, SeedUSDBytecode } from '@seed/contracts'
import { devAccount, type FacilitatorInfo, startAnvil, startFacilitator } from '@seed/devnet'
import { toClientEvmSigner } from '@x402/evm'
import { wrapFetchWithPayment, x402Client } from '@x402/fetch'
import { createPublicClient, createWalletClient, type Hex, http, keccak256, type PrivateKeyAccount, toHex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ChannelClientScheme } from '../src/channel/client.ts'
import { voucherTypedData } from '../src/channel/voucher.ts'
import { wrapFetchWithUpfrontPayment } from '../src/client/upfrontFetch.ts'
import { usdPrice } from '../src/networks.ts'
import { type SoldService, sellService } from '../src/sell/sellService.ts'
import {
  freshAddress,
  fundedEoa,
  manifest,
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

const voucher = (payer: PrivateKeyAccount, channelId: Hex, cumulative: bigint) =>
  payer.signTypedData(voucherTypedData(contract, chainId, channelId, cumulative))

describe('SeedPaymentChannel contract', () => {
  test('claims pay only the increase; old, forged and over-deposit vouchers move nothing', async () => {
    const payee = await fundedEoa(0n)
    const { payer, channelId } = await openChannel(payee.address, 1_000n)
    const claimer = await withGas(await fundedEoa(0n)) // anyone may claim for the payee
    const claim = (cumulative: bigint, signature: Hex) =>
      send(claimer as never, {
        address: contract,
        abi: SeedPaymentChannelAbi,
        functionName: 'claim',
        args: [channelId, cumulative, signature],
      })

    await claim(300n, await voucher(payer, channelId, 300n))
    expect(await usdBalance(payee.address)).toBe(300n)
    const v500 = await voucher(payer, channelId, 500n)
    await claim(500n, v500)
    expect(await usdBalance(payee.address)).toBe(500n)
    await expect(claim(500n, v500)).rejects.toThrow() // replay: nothing to claim
    await expect(claim(300n, await voucher(payer, channelId, 300n))).rejects.toThrow() // older total
    await expect(claim(1_001n, await voucher(payer, channelId, 1_001n))).rejects.toThrow() // above deposit
    await expect(
      claim(900n, await payee.signTypedData(voucherTypedData(contract, chainId, channelId, 900n))),
    ).rejects.toThrow()
    expect(await usdBalance(payee.address)).toBe(500n)
  })

  test('payee close refunds the rest at once; a payer close waits out the delay', async () => {
    const payee = await fundedEoa(0n)
    const funder = createWalletClient({
      chain: foundry,
      transport: http(manifest.l1.rpcUrl),
      account: devAccount('user'),
    })
    await publicClient.waitForTransactionReceipt({
      hash: await funder.sendTransaction({ to: payee.address, value: 10n ** 18n }),
    })
    const a = await openChannel(payee.address, 1_000n)
    await send(payee, {
      address: contract,
      abi: SeedPaymentChannelAbi,
      functionName: 'close',
      args: [a.channelId, 400n, await voucher(a.payer, a.channelId, 400n)],
    })
    expect(await usdBalance(payee.address)).toBe(400n)
    expect(await usdBalance(a.payer.address)).toBe(600n)

    const b = await openChannel(payee.address, 1_000n, 3600n)
    await send(b.payer, {
      address: contract,
      abi: SeedPaymentChannelAbi,
      functionName: 'requestClose',
      args: [b.channelId],
    })
    await expect(
      send(b.payer, { address: contract, abi: SeedPaymentChannelAbi, functionName: 'withdraw', args: [b.channelId] }),
    ).rejects.toThrow()
    // The payee still claims during the delay.
    await send(payee, {
      address: contract,
      abi: SeedPaymentChannelAbi,
      functionName: 'claim',
      args: [b.channelId, 100n, await voucher(b.payer, b.channelId, 100n)],
    })
    expect(await usdBalance(payee.address)).toBe(500n)
  })

  test('after the close delay the payer withdraws the rest; the payee can claim no more', async () => {
    // Time travel on a chain of its own: the shared devnet's clock must stay real for everyone else.
    const anvil = await startAnvil()
    try {
      const chain = { ...foundry, rpcUrls: { default: { http: [anvil.rpcUrl] } } }
      const client = createPublicClient({ chain, transport: http(anvil.rpcUrl), pollingInterval: 25 })
      const as = (account: PrivateKeyAccount | ReturnType<typeof devAccount>) =>
        createWalletClient({ chain, transport: http(anvil.rpcUrl), account })
      const run = async (account: PrivateKeyAccount | ReturnType<typeof devAccount>, call: object) => {
        const receipt = await client.waitForTransactionReceipt({ hash: await as(account).writeContract(call as never) })
        if (receipt.status !== 'success') throw new Error('tx reverted')
        return receipt
      }
      const deployer = devAccount('deployer')
      const deploy = async (abi: unknown, bytecode: Hex, args: unknown[] = []) =>
        (
          await client.waitForTransactionReceipt({
            hash: await as(deployer).deployContract({ abi: abi as never, bytecode, args } as never),
          })
        ).contractAddress as Hex
      const token = await deploy(SeedUSDAbi, SeedUSDBytecode, [deployer.address])
      const channels = await deploy(SeedPaymentChannelAbi, SeedPaymentChannelBytecode)
      const payer = devAccount('user')
      const payee = devAccount('facilitator')
      await run(deployer, { address: token, abi: SeedUSDAbi, functionName: 'mint', args: [payer.address, 1_000n] })
      await run(payer, { address: token, abi: SeedUSDAbi, functionName: 'approve', args: [channels, 1_000n] })
      const salt = keccak256(toHex('after-delay'))
      await run(payer, {
        address: channels,
        abi: SeedPaymentChannelAbi,
        functionName: 'open',
        args: [payee.address, token, 1_000n, 3600n, salt],
      })
      const id = await client.readContract({
        address: channels,
        abi: SeedPaymentChannelAbi,
        functionName: 'channelId',
        args: [payer.address, payee.address, token, salt],
      })
      await run(payer, { address: channels, abi: SeedPaymentChannelAbi, functionName: 'requestClose', args: [id] })
      await client.request({ method: 'evm_increaseTime', params: ['0xe10'] } as never)
      await client.request({ method: 'evm_mine', params: [] } as never)
      await run(payer, { address: channels, abi: SeedPaymentChannelAbi, functionName: 'withdraw', args: [id] })
      const balance = (of: Hex) =>
        client.readContract({ address: token, abi: SeedUSDAbi, functionName: 'balanceOf', args: [of] })
      expect(await balance(payer.address)).toBe(1_000n)
      const late = await payer.signTypedData(voucherTypedData(channels, foundry.id, id, 100n))
      await expect(
        run(payee, { address: channels, abi: SeedPaymentChannelAbi, functionName: 'claim', args: [id, 100n, late] }),
      ).rejects.toThrow() // closed: its vouchers are worthless
      expect(await balance(payee.address)).toBe(0n)
    } finally {
      await anvil.service.stop()
    }
  })
})

describe('x402 channel scheme', () => {
  const PRICE = 25n
  const payTo = freshAddress()
  // A facilitator of its own that claims only when told: the stack's claims every 10 s, and one landing amid
  // these tests' requests would be a transaction they count. Its own key too: a test here sends with it.
  const facilitatorKey = generatePrivateKey()
  let facilitator: FacilitatorInfo
  let service: SoldService
  beforeAll(async () => {
    await withGas(privateKeyToAccount(facilitatorKey))
    facilitator = await startFacilitator({
      networks: [{ chainId, rpcUrl: manifest.l1.rpcUrl, channelContract: contract }],
      eip6492AllowedFactories: [],
      claimIntervalMs: 3_600_000,
      privateKey: facilitatorKey,
    })
    service = await sellService({
      price: usdPrice(usd, PRICE),
      network,
      payTo,
      schemes: ['channel'],
      facilitatorUrl: facilitator.url,
      handler: (_req, res) => res.json({ tick: true }),
    })
  })
  afterAll(async () => {
    await service?.close()
    await facilitator?.service.stop()
  })

  /** The operator's `POST /claim`: the claim transactions, or the facilitator's error. */
  const claimNow = async (): Promise<{ transactions?: Hex[]; error?: string }> =>
    (
      await fetch(`${facilitator.url}/claim`, {
        method: 'POST',
        headers: { authorization: `Bearer ${facilitator.adminToken}` },
      })
    ).json()

  /** A paying fetch over a fresh channel of `deposit` to `payTo`. */
  async function payingFetch(deposit: bigint) {
    const { payer, channelId } = await openChannel(payTo, deposit)
    const scheme = new ChannelClientScheme(toClientEvmSigner(payer, publicClient), [
      { channelId, contract, payee: payTo, token: usd, cumulative: 0n },
    ])
    const client = new x402Client().register(network, scheme)
    client.setSpendControls(false)
    return { payer, channelId, pay: wrapFetchWithPayment(fetch, client) }
  }

  test('many paid requests, no transaction each; one claim moves the total', async () => {
    const { payer, channelId, pay } = await payingFetch(10_000n)
    const blockBefore = await publicClient.getBlockNumber({ cacheTime: 0 }) // viem caches it for 4 s by default
    for (let i = 0; i < 20; i++) {
      const res = await pay(service.url, { method: 'POST' })
      expect(res.status).toBe(200)
    }
    // Vouchers only: no transaction touched the channel. (Other blocks may land meanwhile: the
    // stack's rollup peer posts its batches to the same L1.)
    const blockAfter = await publicClient.getBlockNumber({ cacheTime: 0 })
    for (let n = blockBefore + 1n; n <= blockAfter; n++) {
      const { transactions } = await publicClient.getBlock({ blockNumber: n, includeTransactions: true })
      const touching = transactions.filter((tx) => tx.to?.toLowerCase() === contract.toLowerCase())
      expect(touching).toEqual([])
    }
    expect(await usdBalance(payTo)).toBe(0n)

    expect(await claimNow()).toEqual({ transactions: [expect.stringMatching(/^0x[0-9a-f]{64}$/)] })
    expect(await usdBalance(payTo)).toBe(20n * PRICE)

    // A replayed voucher (same cumulative total) is refused: it adds nothing.
    const stale = await voucher(payer, channelId, 20n * PRICE)
    const { encodePaymentSignatureHeader, decodePaymentRequiredHeader } = await import('@x402/core/http')
    const challenge = decodePaymentRequiredHeader(
      (await fetch(service.url, { method: 'POST' })).headers.get('PAYMENT-REQUIRED')!,
    )
    /** Presents `signature` as the voucher for a cumulative `amount`, bypassing the paying client. */
    const present = (amount: bigint, signature: Hex) =>
      fetch(service.url, {
        method: 'POST',
        headers: {
          'PAYMENT-SIGNATURE': encodePaymentSignatureHeader({
            x402Version: 2,
            accepted: challenge.accepts[0]!,
            resource: challenge.resource,
            payload: { channelId, cumulativeAmount: amount.toString(), payer: payer.address, signature },
          }),
        },
      })
    const replay = await present(20n * PRICE, stale)
    expect(replay.status).toBe(402)
    expect(decodePaymentRequiredHeader(replay.headers.get('PAYMENT-REQUIRED')!).error).toBe(
      'invalid_channel_voucher_amount',
    )

    // A known-good signature presented for a larger total is refused: signatures are checked per voucher.
    const forged = await present(22n * PRICE, stale)
    expect(decodePaymentRequiredHeader(forged.headers.get('PAYMENT-REQUIRED')!).error).toBe('invalid_channel_signature')
  })

  test("a claim lands after another process sent with the facilitator's key (its nonce count went stale)", async () => {
    const { pay } = await payingFetch(1_000n)
    const before = await usdBalance(payTo)
    expect((await pay(service.url, { method: 'POST' })).status).toBe(200)
    expect(await claimNow()).toEqual({ transactions: [expect.any(String)] }) // the facilitator counts its nonces
    await send(privateKeyToAccount(facilitatorKey), {
      address: usd,
      abi: SeedUSDAbi,
      functionName: 'approve',
      args: [contract, 0n],
    })
    expect((await pay(service.url, { method: 'POST' })).status).toBe(200)
    expect(await claimNow()).toEqual({ transactions: [expect.any(String)] })
    expect(await usdBalance(payTo)).toBe(before + 2n * PRICE)
  })

  test('paying up front skips the 402 round trip after the first challenge', async () => {
    const { payer, channelId } = await openChannel(payTo, 10_000n)
    const client = new x402Client().register(
      network,
      new ChannelClientScheme(toClientEvmSigner(payer, publicClient), [
        { channelId, contract, payee: payTo, token: usd, cumulative: 0n },
      ]),
    )
    client.setSpendControls(false)
    let challenges = 0
    const counting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init)
      if (res.status === 402) challenges++
      return res
    }
    const pay = wrapFetchWithUpfrontPayment(counting, client)
    for (let i = 0; i < 5; i++) expect((await pay(service.url, { method: 'POST' })).status).toBe(200)
    expect(challenges).toBe(1)
  })
})
