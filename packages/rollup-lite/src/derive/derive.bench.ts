/**
 * derive.full_tx_per_s (`pnpm bench derive.full` or `tsx packages/rollup-lite/src/derive/derive.bench.ts`):
 * does a verifier keep up with the sequencer? In one run: the sequencer bench's workload (signed
 * transfers through the RPC handler into a durable LevelDB node, as `rollup.seq.transfers_per_s`),
 * the real batcher posts that very chain to a fresh anvil (blobs, c-kzg), then a fresh verifier
 * derives it from L1 alone (events → beacon blobs with KZG checks → decode → EVM replay → output
 * roots) and must land on the sequencer's head. Sequencer and verifier rounds are interleaved, so
 * load from other processes hits both alike; process CPU per tx (all threads) is reported beside
 * the wall-clock rates because the shared machine skews wall time far more than CPU time.
 */
import { loadavg } from 'node:os'
import { RollupInboxAbi, RollupInboxBytecode } from '@seed/contracts'
import { devAccount, startAnvil } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import { createPublicClient, createWalletClient, http } from 'viem'
import { foundry } from 'viem/chains'
import { createBatcher } from '../batch/batcher.ts'
import { nodeBlockSource } from '../batch/node-source.ts'
import { BENCH_CHAIN_ID, benchGenesis, makeSigners, signTransfers } from '../bench/fixtures.ts'
import { benchNode, submitAndPersist } from '../bench/harness.ts'
import { loadNativeKzg } from '../chain/native-kzg.ts'
import { loadNodeCrypto } from '../node/native-crypto.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { deriveChain } from './derive.ts'
import { createKzgThreads } from './kzg-threads.ts'
import { createSenderRecovery } from './recovery.ts'
import { createRecoverThreads } from './recovery-threads.ts'
import { createReplayExecutor } from './replay.ts'

const SENDERS = Number(process.env.BENCH_SENDERS ?? 100)
const PER_SENDER = Number(process.env.BENCH_PER_SENDER ?? 100)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

const signers = makeSigners(SENDERS)
const genesis = benchGenesis(signers)
log(`signing ${SENDERS * (PER_SENDER + 2)} transfers...`)
const warm = await signTransfers(signers, 2)
const raws = await signTransfers(signers, PER_SENDER, 2)
const all = raws.length + warm.length
const cpuMsSince = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since)
  return (c.user + c.system) / 1000
}

/** One sequencer round on a fresh node; keeps the node open when the chain is to be posted. */
async function sequence() {
  const bench = await benchNode(genesis)
  await submitAndPersist(bench.node, warm)
  const { ms, cpuMs, failed } = await submitAndPersist(bench.node, raws)
  if (failed) throw new Error(`sequencer rejected ${failed} transfers`)
  return { ...bench, ms, cpuMs }
}

const kzg = loadNativeKzg()
if (!kzg) throw new Error('c-kzg binding not built (pnpm install with onlyBuiltDependencies c-kzg)')
const anvil = await startAnvil({})
const recovery = createSenderRecovery(await loadNodeCrypto(), createRecoverThreads())
const kzgThreads = createKzgThreads()
if (!kzgThreads) throw new Error('c-kzg binding not built')
try {
  const transport = http(anvil.rpcUrl, { timeout: 120_000 })
  const l1 = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
  const deployer = createWalletClient({ chain: foundry, transport, account: devAccount('deployer') })
  const sequencerKey = devAccount('sequencer')
  const deployed = await deployer.deployContract({
    abi: RollupInboxAbi,
    bytecode: RollupInboxBytecode,
    args: [deployer.account.address, sequencerKey.address],
  })
  const inbox = (await l1.waitForTransactionReceipt({ hash: deployed })).contractAddress!

  // A first sequencer run (JIT warm-up, not counted) makes the chain that is posted and derived.
  const source = await sequence()
  const head = source.node.status().head
  const batcher = createBatcher({
    l1,
    account: sequencerKey,
    inbox,
    chainId: BigInt(BENCH_CHAIN_ID),
    source: nodeBlockSource(source.node),
    kv: memoryKv(),
    kzg,
    policy: { minFill: 0, maxChannelDurationMs: 0 },
  })
  let batches = 0n
  for (let ticks = 0; ; ticks++) {
    if (ticks > 1_000) throw new Error('the batcher did not post the whole chain')
    await batcher.tick()
    const [count, , posted] = await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'head' })
    batches = count
    if (posted === head.number) break
  }
  await source.dispose()
  log(`sequencer chain: ${all} transfers in ${head.number} blocks, posted in ${batches} batches`)

  const derive = async () => {
    const executor = await createReplayExecutor({ kv: memoryKv(), genesis, serving: false })
    const cpu = process.cpuUsage()
    const t = performance.now()
    const result = await deriveChain({
      l1,
      inbox,
      chainId: BigInt(BENCH_CHAIN_ID),
      executor,
      beaconUrl: anvil.rpcUrl,
      recovery,
      kzg: kzgThreads,
    })
    const ms = performance.now() - t
    if (!result.ok || result.head.stateRoot !== head.stateRoot || result.head.hash !== head.hash) {
      throw new Error(`derivation did not reach the sequencer's head: ${result.divergence?.reason ?? 'other head'}`)
    }
    return { rate: (result.txs / ms) * 1000, cpuUs: (cpuMsSince(cpu) / result.txs) * 1000 }
  }
  await derive() // the verifier's warm-up, not counted either

  const seqRuns: { rate: number; cpuUs: number }[] = []
  const deriveRuns: { rate: number; cpuUs: number }[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const s = await sequence()
    await s.dispose()
    seqRuns.push({ rate: (raws.length / s.ms) * 1000, cpuUs: (s.cpuMs / raws.length) * 1000 })
    deriveRuns.push(await derive())
    log(
      `round ${r}: sequencer ${Math.round(seqRuns[r]!.rate)} tx/s (${round(seqRuns[r]!.cpuUs)} µs CPU/tx), ` +
        `derive ${Math.round(deriveRuns[r]!.rate)} tx/s (${round(deriveRuns[r]!.cpuUs)} µs CPU/tx)`,
    )
  }
  const seq = stats(seqRuns.map((x) => x.rate))
  const derived = stats(deriveRuns.map((x) => x.rate))
  emit({
    bench: 'derive.full_tx_per_s',
    value: Math.round(derived.p50),
    unit: 'tx/s',
    env: 'node',
    n: all,
    min: Math.round(derived.min),
    max: Math.round(derived.max),
    baseline: { name: 'rollup.seq.transfers_per_s, the same chain, same run', value: Math.round(seq.p50) },
    notes:
      `whole verifier from L1 (events + beacon blobs with c-kzg commitment checks + decode + sender recovery, ` +
      `both on worker threads + EVM replay + output root per batch) of the sequencer's ${head.number} blocks in ${batches} ` +
      `batches; p50 of ${ROUNDS} interleaved rounds after a warm-up of each; process CPU per tx (all threads): derive ` +
      `${stats(deriveRuns.map((x) => x.cpuUs)).p50} µs, sequencer ${stats(seqRuns.map((x) => x.cpuUs)).p50} µs; ` +
      `ratio ${round(derived.p50 / seq.p50, 2)}; load average ${loadavg()[0]!.toFixed(1)}`,
  })
} finally {
  await recovery.close()
  await kzgThreads.close()
  await anvil.service.stop()
}
process.exit(0)
