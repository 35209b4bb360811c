/**
 * The libp2p side of unsafe blocks: a small libp2p node (WebSockets, noise, yamux, identify,
 * gossipsub) on one topic per chain. The sequencer listens and publishes; a replica dials the
 * sequencer's multiaddr (and redials it when the connection drops) and receives.
 */
import '../ipfs/with-resolvers.ts'
import { gossipsub } from '@chainsafe/libp2p-gossipsub'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { webSockets } from '@libp2p/websockets'
import * as filters from '@libp2p/websockets/filters'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { MAX_UNSAFE_BLOCK_MESSAGE_BYTES, unsafeBlocksTopic } from './unsafe-block.ts'

export type BlockGossip = {
  /** This node's listen addresses (with its peer id), for the sequencer. */
  multiaddrs(): string[]
  publish(message: Uint8Array): Promise<void>
  onMessage(listener: (message: Uint8Array) => void): () => void
  /** How many peers take part in the topic (tests, status). */
  topicPeers(): number
  stop(): Promise<void>
}

export type BlockGossipOptions = {
  chainId: bigint
  /** e.g. `/ip4/127.0.0.1/tcp/9000/ws` (the sequencer). */
  listen?: string[]
  /** Peers to keep a connection to (a replica: the sequencer's multiaddr). */
  peers?: string[]
}

const REDIAL_MS = 2_000

export async function startBlockGossip(o: BlockGossipOptions): Promise<BlockGossip> {
  const topic = unsafeBlocksTopic(o.chainId)
  const node = await createLibp2p({
    addresses: { listen: o.listen ?? [] },
    // Plain ws:// on loopback or a private network is what the devnet and operators run.
    transports: [webSockets({ filter: filters.all })],
    connectionGater: { denyDialMultiaddr: async () => false },
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({
        // Two peers are a whole network here: publish even before the mesh has formed.
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        maxInboundDataLength: MAX_UNSAFE_BLOCK_MESSAGE_BYTES + 4096,
      }),
    },
  })
  const pubsub = node.services.pubsub
  pubsub.subscribe(topic)
  const listeners = new Set<(message: Uint8Array) => void>()
  pubsub.addEventListener('message', (event) => {
    if (event.detail.topic !== topic) return
    for (const listener of listeners) listener(event.detail.data)
  })

  const dialAll = async () => {
    if (node.getConnections().length > 0) return
    for (const peer of o.peers ?? []) {
      await node.dial(multiaddr(peer)).catch(() => {})
    }
  }
  await dialAll()
  const redial = o.peers?.length ? setInterval(() => void dialAll(), REDIAL_MS) : undefined

  return {
    multiaddrs: () => node.getMultiaddrs().map((m) => m.toString()),
    async publish(message) {
      await pubsub.publish(topic, message)
    },
    onMessage(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    topicPeers: () => pubsub.getSubscribers(topic).length,
    async stop() {
      if (redial) clearInterval(redial)
      await node.stop()
    },
  }
}
