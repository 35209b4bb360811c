/**
 * A Helia node for a batcher, in Node or a browser (Worker): libp2p with WebSockets only (dial,
 * no listener), noise, yamux, identify, bitswap to serve its blocks; no public bootstrap or DHT.
 * The caller picks the blockstore: IndexedDB in the browser (helia-node-idb.ts), the file
 * system in Node (helia-node-fs.ts). Built from Helia's class, not `createHelia()`, whose defaults
 * pull in WebRTC and undici 8 (docs/decisions/0302).
 */
import './with-resolvers.ts'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bitswap } from '@helia/block-brokers'
import type { Helia } from '@helia/interface'
import { libp2pRouting } from '@helia/routers'
import { Helia as HeliaNode } from '@helia/utils'
import { identify } from '@libp2p/identify'
import { webSockets } from '@libp2p/websockets'
import * as filters from '@libp2p/websockets/filters'
import { MemoryDatastore } from 'datastore-core'
import { createLibp2p } from 'libp2p'

type HeliaInit = ConstructorParameters<typeof HeliaNode>[0]

export type HeliaNodeOptions = {
  blockstore: HeliaInit['blockstore']
  /** Pins and peer data; a memory store is enough for a batcher (it does not pin, the peer does). */
  datastore?: HeliaInit['datastore']
}

export async function createHeliaNode(o: HeliaNodeOptions): Promise<Helia> {
  const datastore = o.datastore ?? new MemoryDatastore()
  const libp2p = await createLibp2p({
    datastore,
    addresses: { listen: [] },
    // Plain ws:// to 127.0.0.1: allowed explicitly (browser defaults refuse private and insecure).
    transports: [webSockets({ filter: filters.all })],
    connectionGater: { denyDialMultiaddr: async () => false },
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() },
    start: false,
  })
  const helia: Helia = new HeliaNode({
    libp2p,
    datastore,
    blockstore: o.blockstore,
    blockBrokers: [bitswap()],
    routers: [libp2pRouting(libp2p)],
  })
  await helia.start()
  return helia
}
