/**
 * Hostile peers on a chain's unsafe-block topic (SPEC.md §12): a replica's gossipsub validator
 * rejects messages that are not the sequencer's, do not decode, are oversized or replay a block L1
 * already settled — rejected, not just ignored, so the sending peer's score falls past the
 * graylist — while the honest sequencer's blocks are still served and its score stays whole.
 */
import { createPublicClient, http } from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import { loadNodeCrypto } from '../node/native-crypto.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { testGenesis } from '../testing.ts'
import { type Replica, type ReplicaEvent, startReplica } from './follow.ts'
import { type BlockGossip, startBlockGossip } from './gossip.ts'
import { encodeUnsafeBlock, MAX_UNSAFE_BLOCK_MESSAGE_BYTES } from './unsafe-block.ts'

const CHAIN_ID = 31_977n
const genesis = testGenesis({}, Number(CHAIN_ID))
const sequencerKey = generatePrivateKey()
/** gossipsub's default graylist threshold: below it a peer's messages are not even processed. */
const GRAYLIST = -80

let sequencer: RollupNode
let replicaGossip: BlockGossip
let honest: BlockGossip
let replica: Replica
const events: ReplicaEvent[] = []

const until = async (what: string, check: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  sequencer = await createRollupNode({ kv: memoryKv(), genesis, blockTime: 0 })
  replicaGossip = await startBlockGossip({ chainId: CHAIN_ID, listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
  replica = await startReplica({
    kv: memoryKv(),
    genesis,
    crypto: await loadNodeCrypto(),
    // No L1 in this test: the rounds fail quietly and only gossip moves the head.
    l1: createPublicClient({ transport: http('http://127.0.0.1:9', { retryCount: 0 }) }),
    inbox: '0x0000000000000000000000000000000000000001',
    sequencer: privateKeyToAddress(sequencerKey),
    forward: async () => '0x',
    gossip: replicaGossip,
    pollMs: 3_600_000,
    onEvent: (e) => events.push(e),
  })
  honest = await startBlockGossip({ chainId: CHAIN_ID, peers: replicaGossip.multiaddrs() })
  await until('the sequencer to join the topic', () => honest.topicPeers() > 0)
}, 30_000)

afterAll(async () => {
  await Promise.all([honest?.stop(), replicaGossip?.stop()])
  await replica?.close()
  await sequencer?.close()
})

test('forged, malformed, oversized and replayed blocks are rejected and their sender graylisted', async () => {
  // Block 1 reached the replica from L1 (derived, safe); block 2 is the sequencer's next one.
  const first = (await sequencer.sealNow(true))!
  expect(await replica.chain.applyBlock(first)).toBe(true)
  replica.chain.setSafe(first)
  const second = (await sequencer.sealNow(true))!

  const attacks: [string, Uint8Array, RegExp][] = [
    ['forged', await encodeUnsafeBlock(CHAIN_ID, second, generatePrivateKey()), /not the sequencer/],
    ['malformed', crypto.getRandomValues(new Uint8Array(300)), /does not decode|does not recover/],
    ['oversized', new Uint8Array(MAX_UNSAFE_BLOCK_MESSAGE_BYTES + 1).fill(7), /too large/],
    // Signed by the sequencer, but its batch is already derived: replaying it is never honest.
    ['replayed', await encodeUnsafeBlock(CHAIN_ID, first, sequencerKey), /replayed/],
  ]
  // One attacker peer each: a second rejected message already takes a peer past the graylist.
  for (const [what, message, reason] of attacks) {
    const mallory = await startBlockGossip({ chainId: CHAIN_ID, peers: replicaGossip.multiaddrs() })
    try {
      await until('the attacker to join the topic', () => mallory.topicPeers() > 0)
      const before = events.length
      await mallory.publish(message)
      await until(`the ${what} message to be refused`, () =>
        events.slice(before).some((e) => e.type === 'dropped' && reason.test(e.reason)),
      )
      // Rejected, not ignored: the sender pays for it.
      await until(
        `the ${what} message to lower its sender's score`,
        () => replicaGossip.peerScore(mallory.peerId()) < 0,
      )
      if (what === 'forged') {
        await mallory.publish(await encodeUnsafeBlock(CHAIN_ID, first, generatePrivateKey()))
        await until(
          'a second forgery to graylist its sender',
          () => replicaGossip.peerScore(mallory.peerId()) < GRAYLIST,
        )
      }
    } finally {
      await mallory.stop()
    }
  }
  expect(replica.chain.head().hash).toBe(first.hash)

  // The honest sequencer's block still goes through, and it keeps a clean score.
  await honest.publish(await encodeUnsafeBlock(CHAIN_ID, second, sequencerKey))
  await until('the honest block to be served', () => replica.chain.head().hash === second.hash)
  expect(replicaGossip.peerScore(honest.peerId())).toBeGreaterThanOrEqual(0)
}, 60_000)
