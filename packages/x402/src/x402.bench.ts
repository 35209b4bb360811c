/**
 * x402 figures: payment latency on L1 and on the light rollup (`exact`: one EIP-3009 transfer each,
 * committed on the rollup), paid requests per second on the rollup in the high-frequency `channel` mode
 * (vouchers, claimed in one transaction per channel) and with `exact`, and what each payment costs L1:
 * execution gas and bytes on L1 vs its share of a compressed batch blob.
 * Payers use the reference @x402/fetch client with EOA signers against our sellService + facilitator.
 */
import { once } from 'node:events'
import { Worker } from 'node:worker_threads'
import { SeedPaymentChannelAbi, SeedPaymentChannelBytecode, SeedUSDAbi } from '@seed/contracts'
import { devAccount, devPrivateKey, startStack } from '@seed/devnet'
import { encodeBatch, MAX_BLOB_DATA_SIZE } from '@seed/rollup-lite'
import { emit, log, round, stats } from '@seed/testkit/bench'
import { decodePaymentResponseHeader } from '@x402/core/http'
import { toClientEvmSigner } from '@x402/evm'
import { ExactEvmScheme } from '@x402/evm/exact/client'
import { wrapFetchWithPayment, x402Client } from '@x402/fetch'
import {
  type Address,
  bytesToHex,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  type PrivateKeyAccount,
  size,
  toHex,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { ChannelClientScheme, type OpenChannel } from './channel/client.ts'
import type { ChannelPayersJob } from './channelPayers.bench-worker.ts'
import { wrapFetchWithUpfrontPayment } from './client/upfrontFetch.ts'
import { createFacilitator } from './facilitator/createFacilitator.ts'
import { startFacilitatorServer } from './facilitator/server.ts'
import { caip2, usdPrice } from './networks.ts'
import { startLocalRollup } from './rollup/localRollup.ts'
import { sellService } from './sell/sellService.ts'

const L1_PAYMENTS = Number(process.env.L1_PAYMENTS ?? 20)
const ROLLUP_PAYMENTS = Number(process.env.ROLLUP_PAYMENTS ?? 40)
const CHANNEL_PAYMENTS = Number(process.env.CHANNEL_PAYMENTS ?? 1_000)
const EXACT_THROUGHPUT_PAYMENTS = Number(process.env.EXACT_THROUGHPUT_PAYMENTS ?? 150)
const CONCURRENCY = 32
const PRICE = 1_000n
const DEPOSIT = 10n ** 11n

const stack = await startStack({ manifestPath: false })
const { manifest } = stack
const closers: (() => Promise<unknown>)[] = [() => stack.stop()]
try {
  const usd = manifest.contracts.usd
  const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 25 })
  const deployer = createWalletClient({
    chain: foundry,
    transport: http(manifest.l1.rpcUrl),
    account: devAccount('deployer'),
  })
  const payerKeys = Array.from({ length: CONCURRENCY }, () => generatePrivateKey())
  const payers = payerKeys.map((key) => privateKeyToAccount(key))
  for (const p of payers.slice(0, 8)) {
    await l1.waitForTransactionReceipt({
      hash: await deployer.writeContract({
        address: usd,
        abi: SeedUSDAbi,
        functionName: 'mint',
        args: [p.address, DEPOSIT],
      }),
    })
  }

  // The rollup: a real rollup-lite node with Seed USD predeployed, a payment-channel contract, a facilitator.
  const rollup = await startLocalRollup({
    l1,
    usd: {
      address: usd,
      owner: devAccount('deployer').address,
      balances: Object.fromEntries(payers.map((p) => [p.address, 2n * DEPOSIT])),
    },
    funded: [devAccount('deployer').address, devAccount('facilitator').address, ...payers.map((p) => p.address)],
  })
  closers.unshift(() => rollup.close())
  const rollupClient = createPublicClient({ chain: rollup.chain, transport: http(rollup.rpcUrl), pollingInterval: 10 })
  const rollupTx = async (account: PrivateKeyAccount, call: Record<string, unknown>) => {
    const wallet = createWalletClient({ chain: rollup.chain, transport: http(rollup.rpcUrl), account })
    const hash = await (call.bytecode ? wallet.deployContract(call as never) : wallet.writeContract(call as never))
    const receipt = await rollupClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`rollup tx failed: ${String(call.functionName ?? 'deploy')}`)
    return receipt
  }
  const channelContract = (
    await rollupTx(devAccount('deployer') as never, {
      abi: SeedPaymentChannelAbi,
      bytecode: SeedPaymentChannelBytecode,
    })
  ).contractAddress as Address
  const { facilitator, claimChannels } = createFacilitator({
    privateKey: devPrivateKey('facilitator'),
    // On the rollup a settlement that reverts moves nothing and costs no L1 gas: /verify's simulation suffices.
    networks: [{ chainId: rollup.chainId, rpcUrl: rollup.rpcUrl, channelContract, simulateInSettle: false }],
    pollingIntervalMs: 5,
  })
  const rollupFacilitator = await startFacilitatorServer(facilitator)
  closers.unshift(() => rollupFacilitator.close())

  const payTo = privateKeyToAccount(generatePrivateKey()).address
  const handler = (_req: unknown, res: { json(b: unknown): void }) => res.json({ ok: true })
  const l1Service = await sellService({
    price: usdPrice(usd, PRICE),
    network: caip2(manifest.l1.chainId),
    payTo,
    facilitatorUrl: manifest.services.facilitator as string,
    handler,
  })
  const rollupService = await sellService({
    price: usdPrice(usd, PRICE),
    network: caip2(rollup.chainId),
    payTo,
    schemes: ['exact', 'channel'],
    facilitatorUrl: rollupFacilitator.url,
    handler,
  })
  // The same service with x402's `upfront` flow: settled (its block committed) before the handler, one facilitator
  // round trip; the two-step `authorization` flow above is its baseline, measured in the same run.
  const rollupUpfront = await sellService({
    price: usdPrice(usd, PRICE),
    network: caip2(rollup.chainId),
    payTo,
    paymentFlow: 'upfront',
    facilitatorUrl: rollupFacilitator.url,
    handler,
  })
  closers.unshift(
    () => l1Service.close(),
    () => rollupService.close(),
    () => rollupUpfront.close(),
  )

  const exactFetch = (chainId: number, client: unknown, payer: PrivateKeyAccount) => {
    const c = new x402Client().register(caip2(chainId), new ExactEvmScheme(toClientEvmSigner(payer, client as never)))
    c.setSpendControls(false)
    return wrapFetchWithPayment(fetch, c)
  }
  const pay = async (url: string, f: ReturnType<typeof exactFetch>) => {
    const res = await f(url, { method: 'POST' })
    if (res.status !== 200) throw new Error(`payment failed: HTTP ${res.status} ${res.headers.get('PAYMENT-REQUIRED')}`)
    await res.arrayBuffer()
    return decodePaymentResponseHeader(res.headers.get('PAYMENT-RESPONSE') as string).transaction as Hex
  }
  const sequential = async (n: number, run: (i: number) => Promise<unknown>) => {
    await run(-1) // warm-up
    const samples: number[] = []
    for (let i = 0; i < n; i++) {
      const t = performance.now()
      await run(i)
      samples.push(performance.now() - t)
    }
    return stats(samples)
  }
  const concurrent = async (n: number, run: (worker: number) => Promise<unknown>) => {
    let next = 0
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, w) => {
        while (next < n) {
          next++
          await run(w)
        }
      }),
    )
    return round(n / ((performance.now() - t0) / 1000), 1)
  }

  // L1, exact: each payment is a transferWithAuthorization mined by anvil.
  const l1Fetch = payers.slice(0, 8).map((p) => exactFetch(manifest.l1.chainId, l1, p))
  const l1Txs: Hex[] = []
  const l1Stats = await sequential(L1_PAYMENTS, async (i) => {
    const tx = await pay(l1Service.url, l1Fetch[Math.max(i, 0) % l1Fetch.length] as never)
    if (i >= 0) l1Txs.push(tx)
  })
  log(`L1 exact pay: p50 ${l1Stats.p50} ms`)
  emit({ bench: 'x402.l1.pay_ms', value: l1Stats.p50, unit: 'ms', env: 'node', ...l1Stats })

  // Rollup, exact: answered once the transfer's block is committed (group commit, a few ms).
  const rExact = payers.map((p) => exactFetch(rollup.chainId, rollupClient, p))
  const rollupTxs: Hex[] = []
  // Payments alternate between the two flows (same payer each round), so both see the same load.
  const twoStep: number[] = []
  const upfront: number[] = []
  for (let i = -1; i < ROLLUP_PAYMENTS; i++) {
    const f = rExact[Math.max(i, 0) % rExact.length] as never
    for (const [url, samples] of [
      [rollupService.url, twoStep],
      [rollupUpfront.url, upfront],
    ] as const) {
      const t = performance.now()
      rollupTxs.push(await pay(url, f))
      if (i >= 0) samples.push(performance.now() - t) // i = -1 warms up
    }
  }
  const upfrontStats = stats(upfront)
  const twoStepStats = stats(twoStep)
  log(`rollup exact pay: p50 ${upfrontStats.p50} ms upfront, ${twoStepStats.p50} ms verify+settle`)
  emit({
    bench: 'x402.rollup.pay_authorization_ms',
    value: twoStepStats.p50,
    unit: 'ms',
    env: 'node',
    ...twoStepStats,
    baseline: { name: 'x402.l1.pay_ms', value: l1Stats.p50 },
    notes: 'exact, authorization flow: /verify (simulation) before the handler, /settle after it; soft confirmation',
  })
  emit({
    bench: 'x402.rollup.pay_ms',
    value: upfrontStats.p50,
    unit: 'ms',
    env: 'node',
    ...upfrontStats,
    baseline: { name: 'x402.rollup.pay_authorization_ms', value: twoStepStats.p50 },
    notes: 'exact, upfront flow: one /settle (checks, no re-simulation) before the handler, soft confirmation',
  })
  const exactPerSecond = await concurrent(EXACT_THROUGHPUT_PAYMENTS, async (w) => {
    rollupTxs.push(await pay(rollupUpfront.url, rExact[w] as never))
  })
  log(`rollup exact throughput: ${exactPerSecond} paid requests/s`)
  emit({
    bench: 'x402.rollup.exact_paid_req_per_s',
    value: exactPerSecond,
    unit: 'req/s',
    env: 'node',
    n: EXACT_THROUGHPUT_PAYMENTS,
    notes: `${CONCURRENCY} in flight, upfront flow: each payment checked and executed once by the rollup's EVM`,
  })

  // Rollup, channel: one deposit per payer, then vouchers; the facilitator claims once per channel.
  const channelFetch: ReturnType<typeof exactFetch>[] = []
  const channels: OpenChannel[] = []
  for (const payer of payers) {
    await rollupTx(payer, { address: usd, abi: SeedUSDAbi, functionName: 'approve', args: [channelContract, DEPOSIT] })
    const salt = keccak256(toHex(payer.address))
    await rollupTx(payer, {
      address: channelContract,
      abi: SeedPaymentChannelAbi,
      functionName: 'open',
      args: [payTo, usd, DEPOSIT, 3600n, salt],
    })
    const channelId = keccak256(
      (await import('viem')).encodeAbiParameters(
        [{ type: 'address' }, { type: 'address' }, { type: 'address' }, { type: 'bytes32' }],
        [payer.address, payTo, usd, salt],
      ),
    )
    const channel = { channelId, contract: channelContract, payee: payTo, token: usd, cumulative: 0n }
    channels.push(channel)
    const c = new x402Client().register(caip2(rollup.chainId), new ChannelClientScheme(payer, [channel]))
    c.setSpendControls(false)
    channelFetch.push(wrapFetchWithUpfrontPayment(fetch, c))
  }
  const voucherPay = async (f: ReturnType<typeof exactFetch>) => {
    const res = await f(rollupService.url, { method: 'POST' })
    if (res.status !== 200) throw new Error(`voucher refused: ${res.headers.get('PAYMENT-REQUIRED')}`)
    await res.arrayBuffer()
  }
  const cStats = await sequential(ROLLUP_PAYMENTS, () => voucherPay(channelFetch[0] as never))
  log(`rollup channel pay: p50 ${cStats.p50} ms`)
  emit({
    bench: 'x402.rollup.channel_pay_ms',
    value: cStats.p50,
    unit: 'ms',
    env: 'node',
    ...cStats,
    baseline: { name: 'x402.rollup.pay_ms', value: upfrontStats.p50 },
    notes: 'channel voucher accepted by the facilitator (no transaction per request)',
  })
  // Channel 0 has paid the sequential vouchers above: the worker's payer continues from that total.
  channels[0] = { ...(channels[0] as OpenChannel), cumulative: BigInt(ROLLUP_PAYMENTS + 1) * PRICE }
  const job: ChannelPayersJob = {
    url: rollupService.url,
    network: caip2(rollup.chainId),
    payments: CHANNEL_PAYMENTS,
    payers: payerKeys.map((privateKey, i) => ({ privateKey, channel: channels[i] as OpenChannel })),
  }
  // A worker does not inherit tsx's loader: the thread registers it, then loads the TypeScript module.
  const tsx = import.meta.resolve('tsx/esm/api')
  const worker = new URL('./channelPayers.bench-worker.ts', import.meta.url).href
  const payersThread = new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(worker)}) })`,
    { eval: true, workerData: job },
  )
  closers.unshift(() => payersThread.terminate())
  const [ready] = await Promise.race([
    once(payersThread, 'message'),
    once(payersThread, 'error').then(([e]) => {
      throw e
    }),
  ])
  if (ready !== 'ready') throw new Error('payers thread failed to start')
  const cpuBefore = process.cpuUsage()
  payersThread.postMessage('start')
  const [{ ms }] = (await Promise.race([
    once(payersThread, 'message'),
    once(payersThread, 'error').then(([e]) => {
      throw e
    }),
  ])) as [{ ms: number }]
  const cpu = process.cpuUsage(cpuBefore)
  const channelPerSecond = round(CHANNEL_PAYMENTS / (ms / 1000), 1)
  const cpuPerRequest = round((cpu.user + cpu.system) / 1000 / CHANNEL_PAYMENTS, 2)
  log(`rollup channel throughput: ${channelPerSecond} paid requests/s`)
  emit({
    bench: 'x402.rollup.paid_req_per_s',
    value: channelPerSecond,
    unit: 'req/s',
    env: 'node',
    n: CHANNEL_PAYMENTS,
    baseline: { name: 'x402.rollup.exact_paid_req_per_s', value: exactPerSecond },
    notes: `high-frequency mode: channel vouchers paid up front (no 402 round trip), ${CONCURRENCY} channels, one request in flight per channel; payers on their own thread`,
  })
  emit({
    bench: 'x402.rollup.paid_req_cpu_ms',
    value: cpuPerRequest,
    unit: 'ms',
    env: 'node',
    n: CHANNEL_PAYMENTS,
    notes: `CPU time per paid request in the channel mode, all parties in this process and its threads (payers, seller, facilitator, rollup): ${round(1000 / cpuPerRequest, 0)} req/s on one free core; load-independent where req/s is not`,
  })
  const voucherPayments = CHANNEL_PAYMENTS + ROLLUP_PAYMENTS + 1 + CONCURRENCY
  const claims = await claimChannels()
  log(`claimed ${claims.length} channels for ${voucherPayments} voucher payments`)

  // What a payment costs L1. On L1: its settlement tx. On the rollup: its share of the batch blob.
  let l1Gas = 0n
  let l1Bytes = 0
  for (const hash of l1Txs) {
    l1Gas += (await l1.getTransactionReceipt({ hash })).gasUsed
    l1Bytes += size((await l1.request({ method: 'eth_getRawTransactionByHash', params: [hash] } as never)) as Hex)
  }
  await rollup.node.sealNow()
  const batchBytes = async (hashes: readonly Hex[]) => {
    const wanted = new Set(hashes)
    const blocks = []
    for (let n = 1n; n <= rollup.node.status().head.number; n++) {
      const block = await rollup.node.block(n)
      if (!block) continue
      const transactions = block.transactions
        .filter((_, i) => wanted.has(block.transactionHashes[i] as Hex))
        .map((tx) => bytesToHex(tx))
      blocks.push({ number: n, timestamp: block.header.timestamp, transactions })
    }
    // A batch's blocks are contiguous: keep the span holding the payments (blocks in between may be empty).
    const first = blocks.findIndex((b) => b.transactions.length)
    const last = blocks.findLastIndex((b) => b.transactions.length)
    blocks.splice(last + 1)
    blocks.splice(0, first)
    return encodeBatch({ chainId: BigInt(rollup.chainId), parentHash: `0x${'00'.repeat(32)}`, blocks }).length
  }
  const l1GasPer = Number(l1Gas / BigInt(l1Txs.length))
  const l1BytesPer = round(l1Bytes / l1Txs.length, 1)
  const exactBytesPer = round((await batchBytes(rollupTxs)) / rollupTxs.length, 1)
  const channelBytesPer = round((await batchBytes(claims)) / voucherPayments, 2)
  const blobGas = (bytes: number) => round((bytes / MAX_BLOB_DATA_SIZE) * 131_072, 2)
  emit({ bench: 'x402.l1.gas_per_payment', value: l1GasPer, unit: 'gas', env: 'node', n: l1Txs.length })
  emit({ bench: 'x402.l1.bytes_per_payment', value: l1BytesPer, unit: 'bytes', env: 'node', n: l1Txs.length })
  emit({
    bench: 'x402.rollup.l1_bytes_per_payment',
    value: exactBytesPer,
    unit: 'bytes',
    env: 'node',
    n: rollupTxs.length,
    baseline: { name: 'x402.l1.bytes_per_payment', value: l1BytesPer },
    notes: 'exact: share of the deflated batch channel (rollup-lite batch codec) posted as an EIP-4844 blob',
  })
  emit({
    bench: 'x402.rollup.l1_blob_gas_per_payment',
    value: blobGas(exactBytesPer),
    unit: 'blob gas',
    env: 'node',
    n: rollupTxs.length,
    baseline: { name: 'x402.l1.gas_per_payment', value: l1GasPer },
    notes: 'blob gas has its own fee market (min 1 wei); L1 gas pays the execution base fee',
  })
  emit({
    bench: 'x402.rollup.channel_l1_bytes_per_payment',
    value: channelBytesPer,
    unit: 'bytes',
    env: 'node',
    n: voucherPayments,
    baseline: { name: 'x402.rollup.l1_bytes_per_payment', value: exactBytesPer },
    notes: `${claims.length} claim transactions in the batch for ${voucherPayments} voucher payments`,
  })
} finally {
  for (const close of closers) await close().catch(() => undefined)
}
process.exit(0)
