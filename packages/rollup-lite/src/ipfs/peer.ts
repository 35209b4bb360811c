/**
 * The devnet IPFS peer (Node only): a real Helia node with durable storage (blockstore-fs +
 * datastore-fs), libp2p listening on WebSockets at 127.0.0.1 (bitswap serves every pinned batch),
 * and a small HTTP API for the batcher and verifier:
 *   POST /pin?cid=<cid>   body = raw bytes; the peer recomputes the CID, refuses a mismatch, stores and pins
 *   GET  /ipfs/<cid>      the bytes (from the local blockstore; 404 if not held)
 *   GET  /health          { peerId, multiaddrs, pins, libp2pPins }
 * and the libp2p protocol `/seed/pin/1.0.0` (pin-protocol.ts): a batcher's own Helia node sends a
 * CID, the peer fetches the block from it over bitswap and pins it.
 * With `pinners` or `agentInboxes`, both pin paths take only requests signed (EIP-191 over
 * `pinMessage(cid)`) by one of those keys or by the current sequencer of an inbox the configured
 * factory made (agent-pinners.ts): 401 unsigned, 403 anyone else, 429 when the L1 lookups of this
 * second are spent (503 when L1 does not answer), and nothing is read or fetched first.
 */
import './with-resolvers.ts'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bitswap } from '@helia/block-brokers'
import type { Helia } from '@helia/interface'
import { libp2pRouting } from '@helia/routers'
import { Helia as HeliaNode } from '@helia/utils'
import { identify } from '@libp2p/identify'
import { webSockets } from '@libp2p/websockets'
import { FsBlockstore } from 'blockstore-fs'
import { FsDatastore } from 'datastore-fs'
import { createLibp2p } from 'libp2p'
import { CID } from 'multiformats/cid'
import { type Address, getAddress, type Hex, recoverMessageAddress } from 'viem'
import { channelCid } from '../protocol/codec/cid.ts'
import { type AgentInboxesOptions, agentPinners } from './agent-pinners.ts'
import {
  PIN_PROTOCOL,
  PIN_SIGNATURE_HEADER,
  type PinReply,
  parsePinRequest,
  pinMessage,
  readAll,
} from './pin-protocol.ts'

export type IpfsPeer = { url: string; multiaddrs: string[]; peerId: string; helia: Helia; stop(): Promise<void> }

/** Largest body accepted: 6 full blobs of channel data fit with room to spare. */
const MAX_BODY = 1024 * 1024

export async function startIpfsPeer(o: {
  dir: string
  httpPort?: number
  libp2pPort?: number
  host?: string
  /**
   * Keys allowed to pin (the operator's batchers). Without it or `agentInboxes` anyone may pin: a
   * peer reachable by strangers must set one, or they fill its disk.
   */
  pinners?: readonly Address[]
  /** Also allow the current sequencer of any inbox this factory made (each agent's batcher). */
  agentInboxes?: AgentInboxesOptions
}): Promise<IpfsPeer> {
  const host = o.host ?? '127.0.0.1'
  const pinners = new Set((o.pinners ?? []).map((a) => getAddress(a)))
  const agents = o.agentInboxes && agentPinners(o.agentInboxes)
  const open = !o.pinners && !agents
  /** Why a pin of `cid` is refused (401 unsigned, 403 not allowed, 429/503 cannot tell now), or undefined. */
  const refusal = async (cid: CID, signature: Hex | undefined) => {
    if (open) return undefined
    if (!signature) return { status: 401, message: 'pin requests must be signed by an allowed pinner' }
    const signer = await recoverMessageAddress({ message: pinMessage(cid), signature }).catch(() => undefined)
    if (signer && pinners.has(signer)) return undefined
    const answer = signer && agents ? await agents.check(signer).catch(() => 'unavailable' as const) : 'refused'
    if (answer === 'admitted') return undefined
    if (answer === 'busy') return { status: 429, message: 'too many pin signers to look up on L1 now, retry later' }
    if (answer === 'unavailable') return { status: 503, message: 'L1 lookup of the pin signer failed, retry later' }
    return { status: 403, message: `${signer ?? 'this signature'} is not allowed to pin` }
  }
  // Helia's implementation class with a hand-picked libp2p: `createHelia`'s defaults pull in
  // WebRTC (a native module) and public bootstrap peers, neither wanted on a local devnet.
  const datastore = new FsDatastore(`${o.dir}/data`)
  const blockstore = new FsBlockstore(`${o.dir}/blocks`)
  const libp2p = await createLibp2p({
    datastore,
    addresses: { listen: [`/ip4/${host}/tcp/${o.libp2pPort ?? 0}/ws`] },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() },
    start: false,
  })
  const helia: Helia = new HeliaNode({
    libp2p,
    datastore,
    blockstore,
    blockBrokers: [bitswap()],
    routers: [libp2pRouting(libp2p)],
  })
  await helia.start()
  let libp2pPins = 0 // batches received over /seed/pin/1.0.0 (shown by /health)
  await helia.libp2p.handle(PIN_PROTOCOL, async ({ stream, connection }) => {
    let reply: PinReply
    try {
      const { cid, signature } = parsePinRequest(await readAll(stream.source))
      const refused = await refusal(cid, signature)
      if (refused) throw new Error(refused.message)
      // Bitswap asks the connected batcher for the block (and checks it hashes to the CID).
      const signal = AbortSignal.timeout(60_000)
      if (!(await helia.pins.isPinned(cid))) for await (const _ of helia.pins.add(cid, { signal })) void _
      libp2pPins++
      reply = { cid: cid.toString() }
    } catch (e) {
      reply = { error: (e as Error).message }
    }
    await stream
      .sink([new TextEncoder().encode(JSON.stringify(reply))])
      .catch(() => connection.abort(new Error('reply failed')))
  })
  const multiaddrs = helia.libp2p.getMultiaddrs().map((m) => m.toString())
  const server = createServer(async (req, res) => {
    // Browser batchers (extension Worker, web app) call this API cross-origin.
    res.setHeader('access-control-allow-origin', '*')
    res.setHeader('access-control-allow-headers', `content-type, ${PIN_SIGNATURE_HEADER}`)
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    try {
      const url = new URL(req.url ?? '/', 'http://x')
      if (req.method === 'POST' && url.pathname === '/pin') {
        const claimed = CID.parse(url.searchParams.get('cid') ?? '')
        const header = req.headers[PIN_SIGNATURE_HEADER]
        // Checked before the body is read: a stranger's megabyte is never buffered.
        const refused = await refusal(claimed, typeof header === 'string' ? (header as Hex) : undefined)
        if (refused) {
          res.writeHead(refused.status).end(refused.message)
          return
        }
        const bytes = await readBody(req)
        const actual = channelCid(bytes)
        if (!actual.equals(claimed)) {
          res.writeHead(422).end(`content hashes to ${actual}, not ${claimed}`)
          return
        }
        await helia.blockstore.put(actual, bytes)
        if (!(await helia.pins.isPinned(actual))) for await (const _ of helia.pins.add(actual)) void _
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ cid: actual.toString() }))
        return
      }
      const get = url.pathname.match(/^\/ipfs\/([a-z0-9]+)$/i)
      if (req.method === 'GET' && get) {
        const cid = CID.parse(get[1]!)
        if (!(await helia.blockstore.has(cid))) {
          res.writeHead(404).end('not held by this peer')
          return
        }
        const chunks: Uint8Array[] = []
        const block = helia.blockstore.get(cid) as unknown
        // blockstore.get returns bytes (v6) or an async iterable of chunks (v7+).
        if (block instanceof Uint8Array) chunks.push(block)
        else if (block && typeof (block as Promise<unknown>).then === 'function')
          chunks.push((await block) as Uint8Array)
        else for await (const c of block as AsyncIterable<Uint8Array>) chunks.push(c)
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.concat(chunks))
        return
      }
      if (req.method === 'GET' && url.pathname === '/health') {
        let pins = 0
        for await (const _ of helia.pins.ls()) pins++
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ peerId: helia.libp2p.peerId.toString(), multiaddrs, pins, libp2pPins }))
        return
      }
      res.writeHead(404).end('not found')
    } catch (e) {
      if (!res.headersSent) res.writeHead(400).end((e as Error).message)
    }
  })
  await new Promise<void>((resolve) => server.listen(o.httpPort ?? 0, host, resolve))
  const address = server.address() as { port: number }
  return {
    url: `http://${host}:${address.port}`,
    multiaddrs,
    peerId: helia.libp2p.peerId.toString(),
    helia,
    async stop() {
      await new Promise<void>((resolve) => (server as Server).close(() => resolve()))
      await helia.stop()
    },
  }
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new Error(`body above ${MAX_BODY} bytes`)
    chunks.push(chunk as Buffer)
  }
  return new Uint8Array(Buffer.concat(chunks))
}
