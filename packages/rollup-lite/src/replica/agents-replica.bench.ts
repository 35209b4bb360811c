/**
 * Replica figures (issue 17; `pnpm bench replica` or `pnpm bench agents`):
 * - `replica.lag_ms`: from the sequencer sealing a block to a replica serving it as `latest`,
 *   over libp2p gossipsub (WebSockets on loopback), p50 of single-transfer blocks sent at a steady
 *   pace. Sequencer and replica are two libp2p nodes in this one process (one clock): both share
 *   its thread, so the figure includes the sequencer's own seal and persist work.
 * - `replica.catchup_tx_per_s`: a replica that was offline derives the chain the batcher posted
 *   (a fresh anvil, blobs with c-kzg; no IPFS peer here) into its LevelDB store: transfers per
 *   second from its start to its safe head reaching the sequencer's.
 */
import { mkdtempSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { RollupInboxAbi, RollupInboxBytecode } from '@seed/contracts'
import { devAccount, devPrivateKey, startAnvil } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import { createPublicClient, createWalletClient, type Hex, http } from 'viem'
import { foundry } from 'viem/chains'
import { createBatcher } from '../batch/batcher.ts'
import { nodeBlockSource } from '../batch/node-source.ts'
import { BENCH_CHAIN_ID, benchGenesis, makeSigners, signTransfers } from '../bench/fixtures.ts'
import { benchNode, submitAndPersist } from '../bench/harness.ts'
import { loadNativeKzg } from '../chain/native-kzg.ts'
import { createKzgThreads } from '../derive/kzg-threads.ts'
import { createSenderRecovery } from '../derive/recovery.ts'
import { createRecoverThreads } from '../derive/recovery-threads.ts'
import { loadNodeCrypto } from '../node/native-crypto.ts'
import { openLevelKv } from '../state/level-kv.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { startReplica } from './follow.ts'
import { forwardToSequencer } from './forward.ts'
import { startBlockGossip } from './gossip.ts'
import { publishUnsafeBlocks } from './publisher.ts'

const LAG_BLOCKS = Number(process.env.BENCH_LAG_BLOCKS ?? 200)
const LAG_PACE_MS = Number(process.env.BENCH_LAG_PACE_MS ?? 50)
const SENDERS = Number(process.env.BENCH_SENDERS ?? 50)
const PER_SENDER = Number(process.env.BENCH_PER_SENDER ?? 100)

const tmp = process.env.SEED_TEST_TMP ?? tmpdir()
const signers = makeSigners(SENDERS)
const genesis = benchGenesis(signers)
const chainId = BigInt(BENCH_CHAIN_ID)
const kzg = loadNativeKzg()
if (!kzg) throw new Error('c-kzg binding not built (pnpm install with onlyBuiltDependencies c-kzg)')
const crypto = await loadNodeCrypto()
const anvil = await startAnvil({})
const transport = http(anvil.rpcUrl, { timeout: 120_000 })
const l1 = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
const deployer = createWalletClient({ chain: foundry, transport, account: devAccount('deployer') })
const sequencerAccount = devAccount('sequencer')
const inbox = (
  await l1.waitForTransactionReceipt({
    hash: await deployer.deployContract({
      abi: RollupInboxAbi,
      bytecode: RollupInboxBytecode,
      args: [deployer.account.address, sequencerAccount.address],
    }),
  })
).contractAddress!

const sequencer = await benchNode(genesis, { blockTime: 0 })
const seqGossip = await startBlockGossip({ chainId, listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
const stopPublishing = publishUnsafeBlocks(sequencer.node, seqGossip, devPrivateKey('sequencer'))
const sealedAt = new Map<Hex, number>()
sequencer.node.onBlockSealed((b) => sealedAt.set(b.hash, performance.now()))
const replicaGossip = await startBlockGossip({ chainId, peers: seqGossip.multiaddrs() })
const lags: number[] = []
const replica = await startReplica({
  kv: await openLevelKv(mkdtempSync(join(tmp, 'replica-lag-'))),
  genesis,
  crypto,
  l1,
  inbox,
  beaconUrl: anvil.rpcUrl,
  forward: forwardToSequencer('http://127.0.0.1:9'),
  gossip: replicaGossip,
  pollMs: 3_600_000,
  onEvent: (e) => {
    if (e.type !== 'unsafe') return
    const sealed = sealedAt.get(e.hash)
    if (sealed !== undefined) lags.push(e.servedAt - sealed)
  },
})
const recovery = createSenderRecovery(crypto, createRecoverThreads())
const kzgThreads = createKzgThreads()
try {
  const deadline = Date.now() + 15_000
  while (seqGossip.topicPeers() === 0) {
    if (Date.now() > deadline) throw new Error('the replica never joined the topic')
    await new Promise((r) => setTimeout(r, 50))
  }
  log(`lag: ${LAG_BLOCKS} one-transfer blocks, one every ${LAG_PACE_MS} ms`)
  const paced = await signTransfers(signers.slice(0, 1), LAG_BLOCKS)
  for (const raw of paced) {
    await sequencer.node.request('eth_sendRawTransaction', [raw])
    await new Promise((r) => setTimeout(r, LAG_PACE_MS))
  }
  const until = Date.now() + 30_000
  while (replica.chain.head().hash !== sequencer.node.status().head.hash && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20))
  }
  const lag = stats(lags.slice(10)) // the first blocks warm up the JIT on both sides
  emit({
    bench: 'replica.lag_ms',
    value: lag.p50,
    unit: 'ms',
    env: 'node',
    n: lag.n,
    p50: lag.p50,
    p99: lag.p99,
    min: lag.min,
    max: lag.max,
    notes:
      `sequencer seal → replica serves it as latest over gossipsub (ws loopback), single-transfer blocks every ` +
      `${LAG_PACE_MS} ms, sequencer and replica in one process; goal p50 ≤ 200 ms; load average ${loadavg()[0]!.toFixed(1)}`,
  })

  log(`catch-up: ${(SENDERS - 1) * PER_SENDER} more transfers, posted to L1, derived by a fresh replica`)
  // The paced blocks came from the first signer; the bulk from the others.
  const bulk = await signTransfers(signers.slice(1), PER_SENDER)
  const { failed } = await submitAndPersist(sequencer.node, bulk)
  if (failed) throw new Error(`sequencer rejected ${failed} transfers`)
  const head = sequencer.node.status().head
  const batcher = createBatcher({
    l1,
    account: sequencerAccount,
    inbox,
    chainId,
    source: nodeBlockSource(sequencer.node),
    kv: memoryKv(),
    kzg,
    policy: { minFill: 0, maxChannelDurationMs: 0 },
  })
  for (let ticks = 0; ; ticks++) {
    if (ticks > 1_000) throw new Error('the batcher did not post the whole chain')
    await batcher.tick()
    const [, , posted] = await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'head' })
    if (posted === head.number) break
  }
  const txs = LAG_BLOCKS + bulk.length
  const t = performance.now()
  const fresh = await startReplica({
    kv: await openLevelKv(mkdtempSync(join(tmp, 'replica-catchup-'))),
    genesis,
    crypto,
    l1,
    inbox,
    beaconUrl: anvil.rpcUrl,
    forward: forwardToSequencer('http://127.0.0.1:9'),
    pollMs: 3_600_000,
    recovery,
    kzg: kzgThreads ?? kzg,
  })
  await fresh.syncL1()
  const ms = performance.now() - t
  if (fresh.chain.safe().hash !== head.hash) throw new Error('the fresh replica did not reach the sequencer head')
  await fresh.close()
  emit({
    bench: 'replica.catchup_tx_per_s',
    value: Math.round((txs / ms) * 1000),
    unit: 'tx/s',
    env: 'node',
    n: txs,
    notes:
      `a fresh replica (LevelDB, serving store) derives ${head.number} blocks / ${txs} transfers from L1 blobs ` +
      `(c-kzg, senders on worker threads) to the sequencer head in ${round(ms / 1000)} s; load average ${loadavg()[0]!.toFixed(1)}`,
  })
} finally {
  stopPublishing()
  await replicaGossip.stop()
  await seqGossip.stop()
  await replica.close()
  await sequencer.dispose()
  await recovery.close()
  await kzgThreads?.close()
  await anvil.service.stop()
}
process.exit(0)
