/**
 * The Worker's unsafe-block gossip (issue 17, rollup-lite SPEC.md §12): every block the embedded
 * node seals goes out on the chain's gossipsub topic, signed with the sequencer key (the batcher
 * key, the inbox's `sequencer()`), so replicas of the agent's chain (`rollup-lite node --agent`)
 * serve it at gossip latency instead of after its batch lands on L1. A browser cannot listen, so
 * the Worker dials peers that do — the replicas the wallet lists and its registration names — and
 * they relay the blocks on. Libp2p is loaded only once there is a key to sign with.
 */
import type { RollupNode } from '@seed/rollup-lite'
import type { Address, Hex } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'

export type GossipState =
  | { enabled: false; peers: string[] }
  | {
      enabled: true
      /** The key the blocks are signed with (the inbox's sequencer). */
      signer: Address
      peerId: string
      /** The multiaddrs the Worker keeps a connection to. */
      peers: string[]
      /** Peers on the chain's topic right now. */
      topicPeers: number
      published: number
      lastError?: string
    }

type Running = {
  key: Hex
  gossip: import('@seed/rollup-lite/gossip').BlockGossip
  unsubscribe: () => void
}

export type WorkerBlockGossip = {
  /** Starts publishing as `sequencerKey` (again, if the key changed). */
  start(sequencerKey: Hex): Promise<GossipState>
  setPeers(peers: string[]): Promise<GossipState>
  state(): GossipState
  stop(): Promise<void>
}

export function workerBlockGossip(node: RollupNode): WorkerBlockGossip {
  let peers: string[] = []
  let running: Running | undefined
  let starting: Promise<unknown> = Promise.resolve()
  let published = 0
  let lastError: string | undefined

  const state = (): GossipState =>
    running
      ? {
          enabled: true,
          signer: privateKeyToAddress(running.key),
          peerId: running.gossip.peerId(),
          peers,
          topicPeers: running.gossip.topicPeers(),
          published,
          ...(lastError ? { lastError } : {}),
        }
      : { enabled: false, peers }

  async function stop() {
    const was = running
    running = undefined
    if (!was) return
    was.unsubscribe()
    await was.gossip.stop()
  }

  // Starts and stops one at a time: a key change while libp2p is still starting must not leave two nodes.
  const serially = <T>(run: () => Promise<T>): Promise<T> => {
    const next = starting.then(run)
    starting = next.catch(() => {})
    return next
  }

  return {
    start: (sequencerKey) =>
      serially(async () => {
        if (running?.key === sequencerKey) return state()
        await stop()
        const { startBlockGossip, publishUnsafeBlocks } = await import('@seed/rollup-lite/gossip')
        const gossip = await startBlockGossip({ chainId: node.chainId, peers })
        const counted = {
          ...gossip,
          async publish(message: Uint8Array) {
            await gossip.publish(message)
            published++
            lastError = undefined
          },
        }
        const unsubscribe = publishUnsafeBlocks(node, counted, sequencerKey, (error) => {
          lastError = error.message
        })
        running = { key: sequencerKey, gossip, unsubscribe }
        return state()
      }),
    setPeers: (next) =>
      serially(async () => {
        peers = [...new Set(next)]
        await running?.gossip.setPeers(peers)
        return state()
      }),
    state,
    stop: () => serially(stop),
  }
}
