/**
 * The payers of x402.bench.ts's channel throughput, on their own thread: in reality they are other processes
 * or machines, so the figure measures what the seller, facilitator and rollup sustain, not what one thread
 * can also spend signing for 32 clients. Each payer keeps one request in flight on its own channel.
 */
import { once } from 'node:events'
import { parentPort, workerData } from 'node:worker_threads'
import { x402Client } from '@x402/fetch'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChannelClientScheme, type OpenChannel } from './channel/client.ts'
import { wrapFetchWithUpfrontPayment } from './client/upfrontFetch.ts'

export type ChannelPayersJob = {
  url: string
  network: `${string}:${string}`
  payments: number
  payers: { privateKey: Hex; channel: OpenChannel }[]
}

const job = workerData as ChannelPayersJob
const port = parentPort as NonNullable<typeof parentPort>
const pays = job.payers.map(({ privateKey, channel }) => {
  const client = new x402Client().register(
    job.network,
    new ChannelClientScheme(privateKeyToAccount(privateKey), [channel]),
  )
  client.setSpendControls(false)
  return wrapFetchWithUpfrontPayment(fetch, client)
})
const pay = async (f: (typeof pays)[number]) => {
  const res = await f(job.url, { method: 'POST' })
  if (res.status !== 200) throw new Error(`voucher refused: ${res.headers.get('PAYMENT-REQUIRED')}`)
  await res.arrayBuffer()
}

await Promise.all(pays.map(pay)) // each payer takes its 402 challenge once, outside the measurement
port.postMessage('ready')
await once(port, 'message')
let next = 0
const t0 = performance.now()
await Promise.all(
  pays.map(async (f) => {
    while (next < job.payments) {
      next++
      await pay(f)
    }
  }),
)
port.postMessage({ ms: performance.now() - t0 })
