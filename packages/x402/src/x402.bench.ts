/**
 * x402 figures: payment latency on L1 and on the light rollup, paid requests per second on the rollup, and
 * what each payment costs L1 (execution gas and calldata bytes on L1 vs its share of a compressed batch blob).
 * Payments use the reference @x402/fetch client with EOA payers against our sellService + facilitator.
 */

import { SeedUSDAbi } from '@seed/contracts'
import { devAccount, devPrivateKey, startStack } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import { decodePaymentResponseHeader } from '@x402/core/http'
import { toClientEvmSigner } from '@x402/evm'
import { ExactEvmScheme } from '@x402/evm/exact/client'
import { wrapFetchWithPayment, x402Client } from '@x402/fetch'
import { bytesToHex, createPublicClient, createWalletClient, type Hex, http, size } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
// The batch codec is not in rollup-lite's public exports yet; the bench reads it from source.
import { MAX_BLOB_DATA_SIZE } from '../../rollup-lite/src/batch/blob.ts'
import { encodeBatch } from '../../rollup-lite/src/batch/channel.ts'
import { createFacilitator } from './facilitator/createFacilitator.ts'
import { startFacilitatorServer } from './facilitator/server.ts'
import { caip2, usdPrice } from './networks.ts'
import { startLocalRollup } from './rollup/localRollup.ts'
import { sellService } from './sell/sellService.ts'

const L1_PAYMENTS = Number(process.env.L1_PAYMENTS ?? 20)
const ROLLUP_PAYMENTS = 60
const THROUGHPUT_PAYMENTS = Number(process.env.THROUGHPUT_PAYMENTS ?? 600)
const CONCURRENCY = 48
const PRICE = 1_000n

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
  const payers = Array.from({ length: 8 }, () => privateKeyToAccount(generatePrivateKey()))
  for (const p of payers) {
    await l1.waitForTransactionReceipt({
      hash: await deployer.writeContract({
        address: usd,
        abi: SeedUSDAbi,
        functionName: 'mint',
        args: [p.address, 10n ** 12n],
      }),
    })
  }
  const rollup = await startLocalRollup({
    l1,
    usd: {
      address: usd,
      owner: devAccount('deployer').address,
      balances: Object.fromEntries(payers.map((p) => [p.address, 10n ** 12n])),
    },
    funded: [devAccount('deployer').address, devAccount('facilitator').address],
  })
  closers.unshift(() => rollup.close())
  const rollupClient = createPublicClient({ chain: rollup.chain, transport: http(rollup.rpcUrl), pollingInterval: 10 })
  const rollupFacilitator = await startFacilitatorServer(
    createFacilitator({
      privateKey: devPrivateKey('facilitator'),
      networks: [{ chainId: rollup.chainId, rpcUrl: rollup.rpcUrl }],
      pollingIntervalMs: 5,
    }).facilitator,
  )
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
    facilitatorUrl: rollupFacilitator.url,
    handler,
  })
  closers.unshift(
    () => l1Service.close(),
    () => rollupService.close(),
  )

  const payingFetch = (chainId: number, client: typeof l1 | typeof rollupClient, i: number) => {
    const c = new x402Client().register(
      caip2(chainId),
      new ExactEvmScheme(toClientEvmSigner(payers[i % payers.length] as never, client as never)),
    )
    c.setSpendControls(false)
    return wrapFetchWithPayment(fetch, c)
  }
  const pay = async (url: string, f: ReturnType<typeof payingFetch>) => {
    const res = await f(url, { method: 'POST' })
    if (res.status !== 200) throw new Error(`payment failed: HTTP ${res.status} ${res.headers.get('PAYMENT-REQUIRED')}`)
    await res.arrayBuffer()
    return decodePaymentResponseHeader(res.headers.get('PAYMENT-RESPONSE') as string).transaction as Hex
  }
  const fetchers = (chainId: number, client: typeof l1 | typeof rollupClient) =>
    payers.map((_, i) => payingFetch(chainId, client, i))

  // L1: sequential payments, each settled on anvil (instant mining).
  const l1Fetch = fetchers(manifest.l1.chainId, l1)
  await pay(l1Service.url, l1Fetch[0] as never)
  const l1Samples: number[] = []
  const l1Txs: Hex[] = []
  for (let i = 0; i < L1_PAYMENTS; i++) {
    const t = performance.now()
    l1Txs.push(await pay(l1Service.url, l1Fetch[i % l1Fetch.length] as never))
    l1Samples.push(performance.now() - t)
  }
  const l1Stats = stats(l1Samples)
  log(`L1 pay: p50 ${l1Stats.p50} ms`)
  emit({ bench: 'x402.l1.pay_ms', value: l1Stats.p50, unit: 'ms', env: 'node', ...l1Stats })

  // Rollup: sequential payments, soft-confirmed on execution.
  const rFetch = fetchers(rollup.chainId, rollupClient)
  await pay(rollupService.url, rFetch[0] as never)
  const rSamples: number[] = []
  const rollupTxs: Hex[] = []
  for (let i = 0; i < ROLLUP_PAYMENTS; i++) {
    const t = performance.now()
    rollupTxs.push(await pay(rollupService.url, rFetch[i % rFetch.length] as never))
    rSamples.push(performance.now() - t)
  }
  const rStats = stats(rSamples)
  log(`rollup pay: p50 ${rStats.p50} ms`)
  emit({
    bench: 'x402.rollup.pay_ms',
    value: rStats.p50,
    unit: 'ms',
    env: 'node',
    ...rStats,
    baseline: { name: 'x402.l1.pay_ms', value: l1Stats.p50 },
  })

  // Rollup throughput: many payments in flight.
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      while (next < THROUGHPUT_PAYMENTS) {
        next++
        rollupTxs.push(await pay(rollupService.url, rFetch[w % rFetch.length] as never))
      }
    }),
  )
  const perSecond = round(THROUGHPUT_PAYMENTS / ((performance.now() - t0) / 1000), 1)
  log(`rollup throughput: ${perSecond} paid requests/s`)
  emit({
    bench: 'x402.rollup.paid_req_per_s',
    value: perSecond,
    unit: 'req/s',
    env: 'node',
    n: THROUGHPUT_PAYMENTS,
    notes: `${CONCURRENCY} in flight, ${payers.length} payers, one facilitator key`,
  })

  // What a payment costs L1. On L1: the settlement tx itself. On the rollup: its share of the batch blob.
  let l1Gas = 0n
  let l1Bytes = 0
  for (const hash of l1Txs) {
    l1Gas += (await l1.getTransactionReceipt({ hash })).gasUsed
    l1Bytes += size((await l1.request({ method: 'eth_getRawTransactionByHash', params: [hash] } as never)) as Hex)
  }
  await rollup.node.sealNow()
  const wanted = new Set(rollupTxs)
  const blocks = []
  for (let n = 1n; n <= rollup.node.status().head.number; n++) {
    const block = await rollup.node.block(n)
    if (!block) continue
    const transactions = block.transactions
      .filter((_, i) => wanted.has(block.transactionHashes[i] as Hex))
      .map((tx) => bytesToHex(tx))
    if (transactions.length) blocks.push({ number: n, timestamp: block.header.timestamp, transactions })
  }
  const count = blocks.reduce((a, b) => a + b.transactions.length, 0)
  const channel = encodeBatch({ chainId: BigInt(rollup.chainId), parentHash: `0x${'00'.repeat(32)}`, blocks })
  const perPaymentL1 = round(l1Bytes / l1Txs.length, 1)
  const perPaymentRollup = round(channel.length / count, 1)
  emit({
    bench: 'x402.l1.gas_per_payment',
    value: Number(l1Gas / BigInt(l1Txs.length)),
    unit: 'gas',
    env: 'node',
    n: l1Txs.length,
  })
  emit({ bench: 'x402.l1.bytes_per_payment', value: perPaymentL1, unit: 'bytes', env: 'node', n: l1Txs.length })
  emit({
    bench: 'x402.rollup.l1_bytes_per_payment',
    value: perPaymentRollup,
    unit: 'bytes',
    env: 'node',
    n: count,
    baseline: { name: 'x402.l1.bytes_per_payment', value: perPaymentL1 },
    notes: 'share of the deflated batch channel (rollup-lite batch codec) posted as an EIP-4844 blob',
  })
  emit({
    bench: 'x402.rollup.l1_blob_gas_per_payment',
    value: round((perPaymentRollup / MAX_BLOB_DATA_SIZE) * 131_072, 1),
    unit: 'blob gas',
    env: 'node',
    n: count,
    baseline: { name: 'x402.l1.gas_per_payment', value: Number(l1Gas / BigInt(l1Txs.length)) },
    notes: 'blob gas is priced on its own market (min 1 wei); L1 gas at the execution base fee',
  })
} finally {
  for (const close of closers) await close().catch(() => undefined)
}
process.exit(0)
