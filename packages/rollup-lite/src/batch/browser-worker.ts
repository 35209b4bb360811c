/**
 * Browser Worker entry used by browser.e2e.ts: runs the real batcher (columnar codec, deflate,
 * blob packing, pure-JS KZG, blob tx signing, IPFS pin) inside a Web Worker. IPFS: over the peer's
 * HTTP API (`ipfsUrl`), or (`ipfsPeer`, a /ws multiaddr) through the Worker's own Helia node with an
 * IndexedDB blockstore, which hands the batch to the peer over libp2p WebSockets.
 */
import { CID } from 'multiformats/cid'
import { type Address, createPublicClient, type Hex, hexToBytes, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { createIdbHeliaNode } from '../ipfs/helia-node-idb.ts'
import { heliaPinner } from '../ipfs/helia-pinner.ts'
import { httpPinner } from '../ipfs/pinner.ts'
import { NO_WITHDRAWALS_ROOT } from '../protocol/output-root.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { type BatcherEvent, createBatcher } from './batcher.ts'

type Job = {
  l1RpcUrl: string
  inbox: Address
  key: Hex
  ipfsUrl?: string
  ipfsPeer?: string
  chainId: string
  blocks: { number: string; timestamp: string; transactions: Hex[]; hash: Hex; stateRoot: Hex }[]
}

self.onmessage = async (e: MessageEvent<Job>) => {
  const job = e.data
  const events: BatcherEvent[] = []
  try {
    const account = privateKeyToAccount(job.key)
    const helia = job.ipfsPeer ? await createIdbHeliaNode(`batches-${job.inbox}`) : undefined
    // The batcher key signs its pins: the peer takes only allowed or inbox-sequencer keys (decision 0310).
    const signer = { signer: account }
    const ipfs = helia
      ? heliaPinner(helia, job.ipfsPeer!, signer)
      : job.ipfsUrl
        ? httpPinner(job.ipfsUrl, signer)
        : undefined
    // The job's blocks come from a chain without the message passer (v1): its outputs commit zero.
    const blocks = job.blocks.map((b) => ({
      ...b,
      number: BigInt(b.number),
      timestamp: BigInt(b.timestamp),
      messagePasserStorageRoot: async () => NO_WITHDRAWALS_ROOT,
    }))
    const batcher = createBatcher({
      l1: createPublicClient({ chain: foundry, transport: http(job.l1RpcUrl, { timeout: 120_000 }) }),
      account,
      inbox: job.inbox,
      chainId: BigInt(job.chainId),
      kv: memoryKv(),
      ipfs,
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
    const confirmed = events.find((ev) => ev.type === 'confirmed')
    // What the Worker's own IndexedDB blockstore holds, then the node goes away.
    const heldLocally =
      helia && confirmed ? await helia.blockstore.has(CID.decode(hexToBytes(confirmed.cid))) : undefined
    await helia?.stop()
    self.postMessage({
      ok: state === 'confirmed',
      heldLocally,
      ms: performance.now() - started,
      events: JSON.stringify(events, (_, v) => (typeof v === 'bigint' ? `${v}` : v)),
    })
  } catch (error) {
    self.postMessage({ ok: false, error: String((error as Error).stack ?? error) })
  }
}
