/**
 * The Worker batcher's IPFS pinner (decision 0421): the batch goes into the Worker's own Helia node
 * (IndexedDB blockstore) and the stack's IPFS peer is asked to pin it over libp2p WebSockets
 * (rollup-lite `heliaPinner`); the peer's HTTP API is the fallback when libp2p fails. Helia is
 * loaded with a dynamic import when batching starts, so a wallet that never batches never loads it.
 */
import type { IpfsPinner, PinSigner } from '@seed/rollup-lite/ipfs-browser'

/** How a batch reached the IPFS peer: the path, when, how long the pin took (ms, fallback included). */
export type PinPath = { via: 'libp2p' | 'http'; at: number; ms: number; error?: string }

export type WorkerPinnerOptions = {
  /** The IPFS peer's libp2p /ws multiaddr (manifest `services.ipfs`). */
  peer?: string
  /** The IPFS peer's HTTP API (manifest `services.ipfsHttp`). */
  httpUrl?: string
  /** Which path the last pin took (and why libp2p was skipped), for the rollup screen and tests. */
  onPinned?: (path: PinPath) => void
  /** Signs each pin request (the batcher key): a peer that takes pins only from allowed keys checks it. */
  signer?: PinSigner
}

const HELIA_DB = 'seed-rollup-ipfs'
const loadIpfs = () => import('@seed/rollup-lite/ipfs-browser')
/** One Helia node per Worker, shared if the batcher is set up again (same IndexedDB blockstore). */
let heliaNode: ReturnType<Awaited<ReturnType<typeof loadIpfs>>['createIdbHeliaNode']> | undefined

export function workerIpfsPinner(o: WorkerPinnerOptions): IpfsPinner | undefined {
  if (!o.peer && !o.httpUrl) return undefined
  const modules = loadIpfs()
  // Started now (batching starts) and awaited by the first pin; if Helia cannot start, HTTP stays.
  if (o.peer) heliaNode ??= modules.then((m) => m.createIdbHeliaNode(HELIA_DB))
  const helia = o.peer ? heliaNode : undefined
  helia?.catch(() => {}) // reported by the pin that needs it
  let started = 0
  let libp2pError: string | undefined
  const libp2p: IpfsPinner = {
    async pin(cid, bytes) {
      try {
        if (!helia) throw new Error('no libp2p address for the IPFS peer')
        const { heliaPinner } = await modules
        await heliaPinner(await helia, o.peer!, { signer: o.signer }).pin(cid, bytes)
      } catch (error) {
        libp2pError = (error as Error).message
        throw error
      }
      o.onPinned?.({ via: 'libp2p', at: Date.now(), ms: performance.now() - started })
    },
  }
  const http: IpfsPinner = {
    async pin(cid, bytes) {
      if (!o.httpUrl) throw new Error('no HTTP API for the IPFS peer')
      await (await modules).httpPinner(o.httpUrl, { signer: o.signer }).pin(cid, bytes)
      o.onPinned?.({ via: 'http', at: Date.now(), ms: performance.now() - started, error: libp2pError })
    },
  }
  return {
    async pin(cid, bytes) {
      started = performance.now()
      libp2pError = undefined
      const { fallbackPinner } = await modules
      await fallbackPinner(libp2p, http).pin(cid, bytes)
    },
  }
}
