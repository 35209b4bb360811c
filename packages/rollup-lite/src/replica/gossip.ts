/**
 * The libp2p side of unsafe blocks: a small libp2p node (WebSockets, noise, yamux, identify,
 * gossipsub) on one topic per chain. The sequencer listens and publishes; a replica dials the
 * sequencer's multiaddr (and redials it when the connection drops) and receives. A replica that
 * listens too relays what its validator accepts: a browser's sequencer, which cannot listen, dials
 * such replicas and the mesh carries its blocks on (SPEC.md §12).
 */
import '../ipfs/with-resolvers.ts'
import { type GossipSub, gossipsub } from '@chainsafe/libp2p-gossipsub'
import { createPeerScoreParams, createTopicScoreParams } from '@chainsafe/libp2p-gossipsub/score'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { webSockets } from '@libp2p/websockets'
import * as filters from '@libp2p/websockets/filters'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { sha256 } from 'viem'
import { MAX_UNSAFE_BLOCK_MESSAGE_BYTES, unsafeBlocksTopic } from './unsafe-block.ts'

export type BlockGossip = {
  /** This node's listen addresses (with its peer id), for the sequencer. */
  multiaddrs(): string[]
  publish(message: Uint8Array): Promise<void>
  onMessage(listener: (message: Uint8Array) => void): () => void
  /** How many peers take part in the topic (tests, status). */
  topicPeers(): number
  /** Replaces the peers to keep a connection to (dialled now and redialled when they drop). */
  setPeers(peers: string[]): Promise<void>
  /** This node's libp2p peer id. */
  peerId(): string
  /** A peer's gossipsub score: rejected messages push it down, to the graylist (SPEC.md §12). */
  peerScore(peerId: string): number
  /**
   * Judges every message on the topic before it is delivered here or relayed: `reject` penalises
   * the peer that sent it (gossipsub's invalid-message score), `ignore` drops it without penalty.
   */
  validate(validator: (message: Uint8Array) => Promise<GossipVerdict> | GossipVerdict): void
  stop(): Promise<void>
}

export type BlockGossipOptions = {
  chainId: bigint
  /** e.g. `/ip4/127.0.0.1/tcp/9000/ws` (the sequencer). */
  listen?: string[]
  /** Peers to keep a connection to (a replica: the sequencer's multiaddr). */
  peers?: string[]
}

/** A multiaddr that parses (a wrong one in a list must not stop the others from being dialled). */
export function isMultiaddr(text: string): boolean {
  try {
    multiaddr(text)
    return true
  } catch {
    return false
  }
}

export type GossipVerdict = 'accept' | 'reject' | 'ignore'
type TopicValidator = NonNullable<ReturnType<GossipSub['topicValidators']['get']>>
type TopicVerdict = Awaited<ReturnType<TopicValidator>>

const REDIAL_MS = 2_000

/**
 * Scoring of the blocks topic (SPEC.md §12): each rejected message counts squared, so a second one
 * takes a peer past the graylist (-80) and its messages are no longer processed; the count decays by
 * 1 % a second. What a peer can earn is capped below one rejection (time in mesh at most +36 after
 * an hour, first deliveries at most +10), so no amount of honest relaying buys a forgery. Mesh
 * delivery-rate penalties are off: a quiet chain publishes rarely, and an honest peer must not lose
 * score for it.
 */
const INVALID_MESSAGE_WEIGHT = -50
const topicScore = createTopicScoreParams({
  topicWeight: 1,
  invalidMessageDeliveriesWeight: INVALID_MESSAGE_WEIGHT,
  invalidMessageDeliveriesDecay: 0.99,
  timeInMeshWeight: 0.01,
  timeInMeshQuantum: 1_000,
  timeInMeshCap: 3_600,
  firstMessageDeliveriesWeight: 1,
  firstMessageDeliveriesCap: 10,
  meshMessageDeliveriesWeight: 0,
  meshFailurePenaltyWeight: 0,
})

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
        // A message is its bytes: the same block re-wrapped by another peer is a duplicate, not news.
        msgIdFn: (message) => sha256(message.data, 'bytes'),
        scoreParams: createPeerScoreParams({
          topics: { [topic]: topicScore },
          // Replicas and their sequencer often share a host (loopback, one operator's machine).
          IPColocationFactorWeight: 0,
        }),
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

  let peers = (o.peers ?? []).filter(isMultiaddr)
  const connected = (peer: string) => {
    const id = multiaddr(peer).getPeerId()
    return node.getConnections().some((c) => (id ? c.remotePeer.toString() === id : c.remoteAddr.toString() === peer))
  }
  const dialAll = async () => {
    for (const peer of peers) {
      if (!connected(peer)) await node.dial(multiaddr(peer)).catch(() => {})
    }
  }
  await dialAll()
  const redial = setInterval(() => void dialAll(), REDIAL_MS)

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
    async setPeers(next) {
      peers = next.filter(isMultiaddr)
      await dialAll()
    },
    peerId: () => node.peerId.toString(),
    peerScore: (peerId) => (pubsub as GossipSub).getScore(peerId),
    validate(validator) {
      pubsub.topicValidators.set(topic, async (_peer, message) => {
        try {
          return (await validator(message.data)) as TopicVerdict
        } catch {
          return 'ignore' as TopicVerdict // our own failure, not the peer's
        }
      })
    },
    async stop() {
      clearInterval(redial)
      await node.stop()
    },
  }
}
