/**
 * Browser Worker entry used by browser.e2e.ts: runs the real batcher (columnar codec, deflate,
 * blob packing, pure-JS KZG, blob tx signing, IPFS pin over fetch) inside a Web Worker.
 */
import { type Address, createPublicClient, type Hex, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { memoryKv } from '../derive/memory-kv.ts'
import { httpPinner } from '../ipfs/pinner.ts'
import { type BatcherEvent, createBatcher } from './batcher.ts'

type Job = {
  l1RpcUrl: string
  inbox: Address
  key: Hex
  ipfsUrl: string
  chainId: string
  blocks: { number: string; timestamp: string; transactions: Hex[]; hash: Hex; stateRoot: Hex }[]
}

self.onmessage = async (e: MessageEvent<Job>) => {
  const job = e.data
  const events: BatcherEvent[] = []
  try {
    const blocks = job.blocks.map((b) => ({ ...b, number: BigInt(b.number), timestamp: BigInt(b.timestamp) }))
    const batcher = createBatcher({
      l1: createPublicClient({ chain: foundry, transport: http(job.l1RpcUrl, { timeout: 120_000 }) }),
      account: privateKeyToAccount(job.key),
      inbox: job.inbox,
      chainId: BigInt(job.chainId),
      kv: memoryKv(),
      ipfs: httpPinner(job.ipfsUrl),
      policy: { maxChannelDurationMs: 0 },
      source: {
        persistedHead: () => blocks.at(-1)!.number,
        block: async (n) => blocks.find((b) => b.number === n),
      },
      log: (ev) => events.push(ev),
    })
    const started = performance.now()
    let state = ''
    for (let i = 0; i < 100 && state !== 'confirmed'; i++) state = await batcher.tick()
    self.postMessage({
      ok: state === 'confirmed',
      ms: performance.now() - started,
      events: JSON.stringify(events, (_, v) => (typeof v === 'bigint' ? `${v}` : v)),
    })
  } catch (error) {
    self.postMessage({ ok: false, error: String((error as Error).stack ?? error) })
  }
}
