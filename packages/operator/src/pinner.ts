/**
 * The pinner a pin bounty pays for: a Helia peer of its own (rollup-lite's IPFS peer, the one the stack runs:
 * durable blockstore under the data directory, bitswap and `GET /ipfs/<cid>` serving what it holds) that pins
 * every batch's CID as the batches are posted on the bounty's inbox. Bytes come from an IPFS peer that has them
 * (`--ipfs`) and are stored only when they hash to the CID the inbox committed to; a batch not available yet
 * is retried on the next poll. Its own peer admits pins from the operator key alone: strangers cannot fill it.
 */
import { join } from 'node:path'
import { readLimited } from '@seed/contracts'
import { readInboxHead, readPostedBatch } from '@seed/rollup-lite'
import { cidFromHex, startIpfsPeer } from '@seed/rollup-lite/node'
import { type Address, bytesToHex, type Client, type Hex } from 'viem'
import { MAX_PINNED_BYTES, rawCidHexOf } from './pinAnswer.ts'

export type PinnerOptions = {
  l1: Client
  inbox: Address
  dataDir: string
  /** An IPFS peer HTTP API holding the batches (the chain's batcher pins there). */
  source: string
  /** The operator key's address: the only pinner its own peer admits. */
  operator: Address
  pollMs?: number
  onEvent?: (event: Record<string, unknown>) => void
}

export type Pinner = {
  /** The batch's CID (binary, as posted) and the bytes this peer holds for it; undefined when it holds none. */
  held(batchIndex: bigint): Promise<{ cid: Hex; bytes: Hex } | undefined>
  /** Batches pinned so far, in order from batch 0. */
  pinned(): bigint
  /** This operator's IPFS peer: its HTTP gateway and libp2p addresses (bitswap). */
  peer: { url: string; multiaddrs: string[] }
  stop(): Promise<void>
}

export async function startPinner(o: PinnerOptions): Promise<Pinner> {
  const peer = await startIpfsPeer({ dir: join(o.dataDir, 'ipfs'), pinners: [o.operator] })
  const emit = o.onEvent ?? (() => {})
  let next = 0n
  const readOwn = async (cidHex: Hex) => {
    const res = await fetch(`${peer.url}/ipfs/${cidFromHex(cidHex)}`, { signal: AbortSignal.timeout(5_000) })
    return res.ok ? readLimited(res, MAX_PINNED_BYTES) : undefined
  }
  async function pinNew() {
    const { count } = await readInboxHead(o.l1, o.inbox)
    while (next < count) {
      const batch = await readPostedBatch(o.l1, o.inbox, next)
      if (!batch) return
      const cid = cidFromHex(batch.cid)
      if (!(await peer.helia.pins.isPinned(cid))) {
        const res = await fetch(`${o.source}/ipfs/${cid}`, { signal: AbortSignal.timeout(10_000) })
        const bytes = res.ok ? await readLimited(res, MAX_PINNED_BYTES) : undefined
        if (!bytes || rawCidHexOf(bytes) !== batch.cid.toLowerCase()) {
          emit({ event: 'pin-unavailable', batchIndex: next, cid: cid.toString(), status: res.status })
          return
        }
        await peer.helia.blockstore.put(cid, bytes)
        for await (const _ of peer.helia.pins.add(cid)) void _
        emit({ event: 'pinned', batchIndex: next, cid: cid.toString() })
      }
      next++
    }
  }
  let polling = Promise.resolve()
  const poll = () => {
    polling = pinNew().catch((e: Error) => emit({ event: 'pin-poll-failed', error: e.message.split('\n')[0] }))
  }
  poll()
  const timer = setInterval(() => {
    void polling.then(poll)
  }, o.pollMs ?? 2_000)
  return {
    async held(batchIndex) {
      const { count } = await readInboxHead(o.l1, o.inbox)
      if (batchIndex >= count) return undefined
      const batch = await readPostedBatch(o.l1, o.inbox, batchIndex)
      const bytes = batch && (await peer.helia.pins.isPinned(cidFromHex(batch.cid))) && (await readOwn(batch.cid))
      return bytes ? { cid: batch.cid, bytes: bytesToHex(bytes) } : undefined
    },
    pinned: () => next,
    peer: { url: peer.url, multiaddrs: peer.multiaddrs },
    async stop() {
      clearInterval(timer)
      await polling
      await peer.stop()
    },
  }
}
