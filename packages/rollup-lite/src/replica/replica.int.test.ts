/**
 * Replicas on the devnet (issue 17): `startReplica` (what `rollup-lite node --follow` runs) follows
 * the stack's rollup peer over gossipsub and L1, answers as the sequencer does, forwards txs,
 * drops forged blocks, catches up from L1 + IPFS after a restart, and reorgs to L1 when the
 * unsafe blocks it was handed disagree with what the batcher posted.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { depositEth } from '@seed/contracts'
import { devPrivateKey } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import { type Address, type Hex, numberToHex, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { loadNativeKzg } from '../chain/native-kzg.ts'
import { createRollupNode } from '../create-node.ts'
import { deployInbox, l1Clients, l1Sequencer, makeL2Blocks, testBatcher, tickUntil } from '../derive/testing.ts'
import { loadNodeCrypto } from '../node/native-crypto.ts'
import { L1_CONFIRMATION_DEPTH } from '../protocol/config.ts'
import { parseGenesis } from '../protocol/genesis-file.ts'
import { readInboxHead } from '../protocol/inbox.ts'
import { openLevelKv } from '../state/level-kv.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { testGenesis } from '../testing.ts'
import { type Replica, type ReplicaEvent, type ReplicaOptions, startReplica } from './follow.ts'
import { forwardToSequencer } from './forward.ts'
import { type BlockGossip, startBlockGossip } from './gossip.ts'
import { encodeUnsafeBlock } from './unsafe-block.ts'

const manifest = inject('manifest')
const { publicClient: l1 } = l1Clients(manifest)
const sequencerRpc = manifest.rollup.rpcUrl
const genesis = parseGenesis(JSON.parse(readFileSync(manifest.rollup.genesis, 'utf8')))
const chainId = BigInt(genesis.chainId)
const tmp = process.env.SEED_TEST_TMP ?? '/tmp'

const rpc = async (url: string, method: string, params: readonly unknown[] = []) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(body.error.message)
  return body.result
}
const local = async (replica: Replica, method: string, params: readonly unknown[] = []) => {
  const res = (await replica.chain.rpc.handle({ jsonrpc: '2.0', id: 1, method, params })) as {
    result?: unknown
    error?: { message: string; code: number }
  }
  if (res.error) throw Object.assign(new Error(res.error.message), { code: res.error.code })
  return res.result
}
const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 90_000) => {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last replica events: ${lastEvents()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A key of its own, funded from the `sponsor` role (no other test sends from it on L2). */
const sender = privateKeyToAccount(generatePrivateKey())
let nonce = 0
const transfer = async (via: string, value = 1n) => {
  const raw = await sender.signTransaction({
    chainId: Number(chainId),
    nonce: nonce++,
    to: '0x00000000000000000000000000000000000a11ce',
    value,
    gas: 21_000n,
    maxFeePerGas: 10n ** 10n,
    maxPriorityFeePerGas: 1n,
  })
  return (await rpc(via, 'eth_sendRawTransaction', [raw])) as Hex
}

const events: ReplicaEvent[] = []
const lastEvents = () =>
  JSON.stringify(events.filter((e) => e.type !== 'unsafe').slice(-5), (_k, v) => (typeof v === 'bigint' ? `${v}` : v))
const dir = mkdtempSync(join(tmp, 'replica-'))
let gossip: BlockGossip | undefined
let replica: Replica | undefined

const follow = async (o: { gossip?: BlockGossip; ipfsOnly?: boolean } = {}) =>
  startReplica({
    kv: await openLevelKv(dir),
    genesis,
    crypto: await loadNodeCrypto(),
    l1,
    inbox: manifest.contracts.rollupInbox,
    beaconUrl: o.ipfsOnly ? undefined : manifest.l1.beaconUrl,
    ipfsUrl: manifest.services.ipfsHttp,
    forward: forwardToSequencer(sequencerRpc),
    gossip: o.gossip,
    pollMs: 500,
    kzg: loadNativeKzg(), // as the CLI: c-kzg for the blob commitment checks
    bridge: {}, // the stack's peer runs with --deposits
    onEvent: (e) => events.push(e),
  })

beforeAll(async () => {
  const sponsor = privateKeyToAccount(devPrivateKey('sponsor'))
  const sponsorNonce = Number(
    BigInt((await rpc(sequencerRpc, 'eth_getTransactionCount', [sponsor.address, 'pending'])) as Hex),
  )
  await rpc(sequencerRpc, 'eth_sendRawTransaction', [
    await sponsor.signTransaction({
      chainId: Number(chainId),
      nonce: sponsorNonce,
      to: sender.address,
      value: parseEther('1'),
      gas: 21_000n,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 1n,
    }),
  ])
  // The replica listens too: the forged-block test dials it directly.
  gossip = await startBlockGossip({ chainId, listen: ['/ip4/127.0.0.1/tcp/0/ws'], peers: [manifest.rollup.p2p!] })
  replica = await follow({ gossip })
}, 60_000)

afterAll(async () => {
  await gossip?.stop()
  await replica?.close()
})

const sequencerHead = async () => BigInt((await rpc(sequencerRpc, 'eth_blockNumber')) as Hex)

describe('a replica of the stack rollup peer', () => {
  test('follows over gossipsub and answers blocks and balances as the sequencer does', async () => {
    expect(replica!.sequencer()?.toLowerCase()).toBe(
      privateKeyToAccount(devPrivateKey('sequencer')).address.toLowerCase(),
    )
    // Catch-up from L1 first (the stack's chain has history), then the gossiped blocks on top.
    await until(
      'the replica to reach the sequencer head',
      async () => replica!.chain.head().header.number >= (await sequencerHead()),
    )
    for (let i = 0; i < 3; i++) await transfer(sequencerRpc)
    const target = await sequencerHead()
    await until('the replica to serve the new blocks', () => replica!.chain.head().header.number >= target, 30_000)
    expect(events.some((e) => e.type === 'unsafe')).toBe(true)

    const block = (n: bigint) => ['eth_getBlockByNumber', [`0x${n.toString(16)}`, true]] as const
    expect(await local(replica!, ...block(target))).toEqual(await rpc(sequencerRpc, ...block(target)))
    const balance = ['eth_getBalance', [sender.address, `0x${target.toString(16)}`]] as const
    expect(await local(replica!, ...balance)).toEqual(await rpc(sequencerRpc, ...balance))
    // `latest` is the gossiped head; `safe` is what L1 has confirmed so far (never ahead of it).
    const safe = (await local(replica!, 'eth_getBlockByNumber', ['safe', false])) as { number: Hex }
    expect(BigInt(safe.number)).toBeLessThanOrEqual(replica!.chain.head().header.number)
  }, 150_000)

  test('executes the portal’s deposits as the sequencer does: gossiped, then derived from L1 to the same block', async () => {
    const depositor = privateKeyToAccount(generatePrivateKey())
    await l1.request({
      method: 'anvil_setBalance',
      params: [depositor.address, numberToHex(parseEther('10'))],
    } as never)
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    const call = await depositEth(l1, { inbox: manifest.contracts.rollupInbox, to: recipient, amount: parseEther('2') })
    const hash = await l1Clients(manifest).owner.sendTransaction({ ...call, account: depositor, chain: l1.chain })
    expect((await l1.waitForTransactionReceipt({ hash })).status).toBe('success')
    // Its L1 block confirmed (depth 2): the sequencer's next block moves its origin past it and begins with it.
    await l1.request({ method: 'anvil_mine', params: [numberToHex(L1_CONFIRMATION_DEPTH)] } as never)
    const sequencerBalance = async () =>
      BigInt((await rpc(sequencerRpc, 'eth_getBalance', [recipient, 'latest'])) as Hex)
    await until('the sequencer to mint the deposit', async () => (await sequencerBalance()) === parseEther('2'), 30_000)
    const depositBlock = await findDepositBlock(recipient)
    const n = numberToHex(depositBlock)
    await until('the replica to apply the gossiped block', () => replica!.chain.head().header.number >= depositBlock)
    const block = ['eth_getBlockByNumber', [n, true]] as const
    expect(await local(replica!, ...block)).toEqual(await rpc(sequencerRpc, ...block))
    expect(await local(replica!, 'eth_getBalance', [recipient, n])).toBe(numberToHex(parseEther('2')))
    // L1 agrees: the batch's deposits, read from the portal, are the ones gossiped (no reorg, same output root).
    const before = events.length
    await until(
      'the batch holding the deposit to be derived',
      () => replica!.chain.safe().header.number >= depositBlock,
    )
    expect(events.slice(before).filter((e) => e.type === 'reorg' || e.type === 'derive-error')).toEqual([])
    expect(await local(replica!, ...block)).toEqual(await rpc(sequencerRpc, ...block))
  }, 150_000)

  test('forwards eth_sendRawTransaction to the sequencer, errors included', async () => {
    const served = await startServedReplica()
    try {
      const hash = await transfer(served.url, 7n)
      const receipt = (await rpc(sequencerRpc, 'eth_getTransactionReceipt', [hash])) as {
        blockNumber: Hex
        status: Hex
      }
      expect(receipt.status).toBe('0x1')
      await until(
        'the replica to hold the forwarded tx',
        async () => (await local(replica!, 'eth_getTransactionReceipt', [hash])) !== null,
        30_000,
      )
      // The sequencer's refusal comes back as the replica's answer, code kept.
      nonce--
      await expect(transfer(served.url, 7n)).rejects.toThrow(/nonce too low|already known/)
      nonce++
    } finally {
      await served.close()
    }
  }, 60_000)

  test('a block with a bad signature is dropped', async () => {
    const rogue = await startBlockGossip({ chainId, peers: gossip!.multiaddrs() })
    try {
      await until('the rogue peer to join the topic', () => rogue.topicPeers() > 0, 15_000)
      const head = replica!.chain.head()
      const forged = await createRollupNode({ kv: memoryKv(), genesis })
      const sealed = (await forged.sealNow(true))!
      await forged.close()
      // The block's number is real-looking (next after the head); only the key is wrong.
      const mallory = generatePrivateKey()
      const before = events.length
      await rogue.publish(
        await encodeUnsafeBlock(
          chainId,
          { ...sealed, header: { ...sealed.header, number: head.header.number + 1n } },
          mallory,
        ),
      )
      await until(
        'the forged block to be refused',
        () => events.slice(before).some((e) => e.type === 'dropped' && /not the sequencer/.test(e.reason)),
        15_000,
      )
      expect(replica!.chain.head().hash).not.toBe(sealed.hash)
      const served = (await local(replica!, 'eth_getBlockByNumber', ['latest', false])) as { hash: Hex }
      expect(served.hash).not.toBe(sealed.hash)
    } finally {
      await rogue.stop()
    }
  }, 60_000)

  test('a stopped replica catches up from L1 + IPFS after a restart', async () => {
    await gossip!.stop()
    gossip = undefined
    await replica!.close()
    replica = undefined
    for (let i = 0; i < 4; i++) await transfer(sequencerRpc)
    const target = await sequencerHead()
    // The stack's batcher posts within its max wait (10 s): wait until L1 holds the target block.
    await until(
      'the batcher to post the new blocks',
      async () => (await readInboxHead(l1, manifest.contracts.rollupInbox)).lastBlock >= target,
      90_000,
    )
    replica = await follow({ ipfsOnly: true })
    await until(
      'the restarted replica to derive the new blocks',
      () => replica!.chain.safe().header.number >= target,
      90_000,
    )
    const block = ['eth_getBlockByNumber', [`0x${target.toString(16)}`, false]] as const
    expect(await local(replica!, ...block)).toEqual(await rpc(sequencerRpc, ...block))
    expect(events.some((e) => e.type === 'safe' && e.source === 'ipfs')).toBe(true)
  }, 200_000)
})

describe('unsafe blocks that disagree with L1', () => {
  test('are dropped: the replica reorgs to the chain the batcher posted', async () => {
    const testGen = testGenesis({}, 31_917)
    const inbox: Address = await deployInbox(manifest)
    const kv = memoryKv()
    const honest = await createRollupNode({ kv, genesis: testGen, blockTime: 0 })
    const equivocated = await createRollupNode({ kv: memoryKv(), genesis: testGen, blockTime: 0 })
    const sequencerKey = `0x${Buffer.from(l1Sequencer.getHdKey().privateKey!).toString('hex')}` as Hex
    const seqGossip = await startBlockGossip({ chainId: 31_917n, listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
    const replicaGossip = await startBlockGossip({ chainId: 31_917n, peers: seqGossip.multiaddrs() })
    const seen: ReplicaEvent[] = []
    const other = await startReplica({
      kv: memoryKv(),
      genesis: testGen,
      crypto: await loadNodeCrypto(),
      l1,
      inbox,
      beaconUrl: manifest.l1.beaconUrl,
      ipfsUrl: manifest.services.ipfsHttp,
      forward: forwardToSequencer(sequencerRpc),
      gossip: replicaGossip,
      pollMs: 3_600_000, // rounds run by hand below
      onEvent: (e) => seen.push(e),
    } satisfies ReplicaOptions)
    try {
      await until('the gossip mesh', () => seqGossip.topicPeers() > 0, 15_000)
      // The sequencer key signs two blocks that never reach L1 …
      await makeL2Blocks(equivocated, 6, 2, 1)
      for (const n of [1n, 2n])
        await seqGossip.publish(await encodeUnsafeBlock(31_917n, (await equivocated.block(n))!, sequencerKey))
      await until('the replica to serve them', () => other.chain.head().header.number === 2n, 15_000)
      expect(other.chain.head().hash).toBe((await equivocated.block(2n))!.hash)
      // … while the batcher posts different blocks 1-2 on L1.
      const { batcher } = testBatcher(manifest, { node: honest, kv, inbox })
      await makeL2Blocks(honest, 6, 2, 0)
      await tickUntil(batcher, 'sent')
      await tickUntil(batcher, 'confirmed')
      await other.syncL1()
      expect(seen).toContainEqual({ type: 'reorg', from: 2n, to: 0n })
      const honestHead = honest.status().head
      expect(other.chain.head().hash).toBe(honestHead.hash)
      expect(other.chain.safe().hash).toBe(honestHead.hash)
      const latest = (await local(other, 'eth_getBlockByNumber', ['latest', false])) as { hash: Hex }
      expect(latest.hash).toBe(honestHead.hash)
      // The dropped blocks' hashes are forgotten.
      const dropped = (await equivocated.block(2n))!.hash
      expect(await local(other, 'eth_getBlockByHash', [dropped, false])).toBeNull()
    } finally {
      await replicaGossip.stop()
      await seqGossip.stop()
      await other.close()
      await honest.close()
      await equivocated.close()
    }
  }, 180_000)
})

/** The sequencer's block holding the deposit (type 0x7e) to `recipient`. */
async function findDepositBlock(recipient: Address): Promise<bigint> {
  for (let n = await sequencerHead(); n > 0n; n--) {
    const b = (await rpc(sequencerRpc, 'eth_getBlockByNumber', [numberToHex(n), true])) as {
      transactions: { type: Hex; to: Address | null }[]
    }
    if (b.transactions.some((t) => t.type === '0x7e' && t.to?.toLowerCase() === recipient.toLowerCase())) return n
  }
  throw new Error(`no deposit to ${recipient} on the sequencer`)
}

/** The replica's RPC over HTTP, as `rollup-lite node --follow` serves it. */
async function startServedReplica() {
  const { startRpcServer } = await import('../node/server.ts')
  const server = await startRpcServer(replica!.chain.rpc, { port: 0 })
  return { url: server.url, close: () => server.close() }
}
