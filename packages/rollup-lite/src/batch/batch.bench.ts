/**
 * Batch figures (`pnpm bench batch` or `tsx packages/rollup-lite/src/batch/batch.bench.ts`):
 * L1 bytes and gas per L2 transaction, blob fill, batching time with KZG, decode + recovery throughput
 * (the whole verifier against the sequencer: derive/derive.bench.ts).
 * Traffic: real signed EIP-1559 transfers, 1,000 senders → 100 recipients.
 */
import { availableParallelism } from 'node:os'
import { brotliCompressSync, constants, deflateRawSync } from 'node:zlib'
import { RollupInboxAbi, RollupInboxBytecode } from '@seed/contracts'
import { devAccount, startAnvil } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import { concat, createPublicClient, createWalletClient, type Hex, hexToBytes, http, type Kzg } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { loadNativeKzg } from '../chain/native-kzg.ts'
import { createSenderRecovery, RECOVER_CHUNK } from '../derive/recovery.ts'
import { createRecoverThreads } from '../derive/recovery-threads.ts'
import { createReplayExecutor } from '../derive/replay.ts'
import { recoverFromPayload } from '../derive/senders.ts'
import { loadNodeCrypto } from '../node/native-crypto.ts'
import { blobsToChannel, MAX_BLOB_DATA_SIZE } from '../protocol/codec/blob.ts'
import { decodeBatch, encodeBatch, encodeBody } from '../protocol/codec/channel.ts'
import { channelCid, cidToHex } from '../protocol/codec/cid.ts'
import { makeTraffic, testKey } from '../protocol/codec/fixtures.ts'
import { outputRoot } from '../protocol/output-root.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { channelSidecars } from './blob-tx.ts'
import { fitBlocks } from './policy.ts'
import { estimateBlobFees, signBatchTransaction } from './post.ts'

const chainId = 42_069
const N = 10_000
// An L2 genesis funding the 1,000 senders, so the bench batch also re-executes for real.
const genesis = {
  chainId,
  timestamp: 0,
  baseFeePerGas: 1_000_000n,
  alloc: Object.fromEntries(
    Array.from({ length: 1000 }, (_, i) => [privateKeyToAddress(testKey('sender', i)), { balance: 10n ** 21n }]),
  ),
}
const sequencerChain = await createReplayExecutor({ kv: memoryKv(), genesis })
const parentHash = sequencerChain.genesis.hash
log(`signing ${N} transfers...`)
const blocks = await makeTraffic({ chainId, txs: N, txsPerBlock: 100 })
const txs = blocks.flatMap((b) => b.transactions)
const batch = { chainId: BigInt(chainId), parentHash, blocks }

// 1. bytes per transfer, against compressing plain RLP (what OP's brotli-10 channels do)
const channel = encodeBatch(batch)
const rlp = hexToBytes(concat(txs as Hex[]))
const brotli = (b: Uint8Array, q: number) =>
  brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: q, [constants.BROTLI_PARAM_LGWIN]: 24 } }).length
const { body } = encodeBody(batch)
log(
  `columnar body ${body.length} B: deflate-9 ${deflateRawSync(body, { level: 9 }).length} B, brotli-11 ${brotli(body, 11)} B`,
)
emit({
  bench: 'batch.l1_bytes_per_tx',
  value: round(channel.length / N),
  unit: 'bytes/tx',
  env: 'node',
  n: N,
  baseline: { name: 'brotli-10 over plain RLP', value: round(brotli(rlp, 10) / N) },
  notes: `plain RLP ${round(rlp.length / N)} B/tx; deflate-9 over RLP ${round(deflateRawSync(rlp, { level: 9 }).length / N)} B/tx`,
})

const erc20Blocks = await makeTraffic({ chainId, txs: 2000, kind: 'erc20', seed: 11 })
const erc20Channel = encodeBatch({ ...batch, blocks: erc20Blocks })
const erc20Rlp = hexToBytes(concat(erc20Blocks.flatMap((b) => b.transactions) as Hex[]))
emit({
  bench: 'batch.l1_bytes_per_erc20_tx',
  value: round(erc20Channel.length / 2000),
  unit: 'bytes/tx',
  env: 'node',
  n: 2000,
  baseline: { name: 'brotli-10 over plain RLP', value: round(brotli(erc20Rlp, 10) / 2000) },
})

log('bytes done')
// 2. blob fill of full batches cut by the policy from a stream of 20k transfers
const stream = [
  ...blocks,
  ...(await makeTraffic({
    chainId,
    txs: N,
    seed: 99,
    firstBlock: 101n,
    firstTimestamp: blocks.at(-1)!.timestamp + 2n,
  })),
]
const fills: number[] = []
let rest = stream
while (rest.length) {
  const fit = fitBlocks({ chainId: BigInt(chainId), parentHash }, rest, 6)!
  if (fit.count === rest.length) break // the tail waits for more blocks (or the duration limit)
  fills.push(fit.channel.length / (Math.ceil(fit.channel.length / MAX_BLOB_DATA_SIZE) * MAX_BLOB_DATA_SIZE))
  rest = rest.slice(fit.count)
}
emit({ bench: 'batch.blob_fill', value: round(Math.min(...fills), 4), unit: 'ratio', env: 'node', n: fills.length })

log('fill done')
// 3. batching 10k transfers: encode + blob packing + KZG commitments and proofs; Node uses c-kzg,
// the browser the pure-JS KZG (baseline, same run)
const nativeKzg = loadNativeKzg()
if (!nativeKzg) throw new Error('c-kzg binding not built (pnpm install with onlyBuiltDependencies c-kzg)')
const batchWith = (kzgImpl: Kzg | undefined, runs: number) => {
  const times: number[] = []
  let out = channelSidecars(channel.subarray(0, 1000), kzgImpl) // warm-up (trusted setup load)
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    out = channelSidecars(encodeBatch(batch), kzgImpl)
    times.push(performance.now() - t)
  }
  return { sidecars: out, ...stats(times) }
}
const pureJs = batchWith(undefined, 1)
const native = batchWith(nativeKzg, 3)
if (native.sidecars.versionedHashes.join() !== pureJs.sidecars.versionedHashes.join()) {
  throw new Error('c-kzg and the pure-JS KZG disagree')
}
const sidecars = native.sidecars
emit({
  bench: 'batch.kzg_10k_ms',
  value: round(native.p50),
  unit: 'ms',
  env: 'node',
  n: native.n,
  p50: round(native.p50),
  p99: round(native.p99),
  baseline: { name: 'pure-JS KZG (micro-eth-signer, the browser path)', value: round(pureJs.p50) },
  notes: `${sidecars.blobs.length} blobs, encode + blob packing + commitments + proofs with c-kzg (native)`,
})

log('kzg done')
// 4. derivation: blobs → channel → txs, then sender recovery (signature verification)
const crypto = await loadNodeCrypto()
const decodeTimes: number[] = []
const recoverTimes: number[] = []
const pooledTimes: number[] = []
const cpu = { one: 0, pooled: 0 }
// The verifier's path: batch-wide recovery, chunks on worker threads while this thread decodes.
const threads = createRecoverThreads()
const recovery = createSenderRecovery(crypto, threads)
const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since)
  return (c.user + c.system) / 1000
}
// A/B interleaved round by round, so load from other processes hits both alike.
for (let i = 0; i < 5; i++) {
  let t = performance.now()
  decodeBatch(blobsToChannel(sidecars.blobs))
  decodeTimes.push(performance.now() - t)

  let c = process.cpuUsage()
  t = performance.now()
  let senders = 0
  decodeBatch(blobsToChannel(sidecars.blobs), (payload, sig) => {
    recoverFromPayload(payload, sig, crypto)
    senders++
  })
  if (senders !== N) throw new Error(`recovered ${senders} senders`)
  recoverTimes.push(performance.now() - t)
  cpu.one += cpuMs(c)

  c = process.cpuUsage()
  t = performance.now()
  const run = recovery.begin()
  const decoded = decodeBatch(blobsToChannel(sidecars.blobs), run.collect)
  const got = run.start()
  const all = await Promise.all(decoded.blocks.flatMap((b) => b.transactions).map((_, j) => got.sender(j)!))
  if (all.length !== N || all.includes(null)) throw new Error('pooled recovery failed')
  pooledTimes.push(performance.now() - t)
  cpu.pooled += cpuMs(c)
}
const d = stats(decodeTimes)
const r = stats(recoverTimes)
const pooled = stats(pooledTimes)
emit({
  bench: 'derive.tx_per_s',
  value: Math.round(N / (pooled.p50 / 1000)),
  unit: 'tx/s',
  env: 'node',
  n: N,
  p50: round(pooled.p50),
  p99: round(pooled.p99),
  baseline: { name: 'same work on one thread', value: Math.round(N / (r.p50 / 1000)) },
  notes: `blob unpacking + decode + sender recovery (native libsecp256k1 on ${availableParallelism()} worker threads, ${RECOVER_CHUNK}-tx chunks), no EVM re-execution; p50 of 5 interleaved A/B rounds; process CPU per tx: ${round((cpu.pooled / 5 / N) * 1000)} µs pooled, ${round((cpu.one / 5 / N) * 1000)} µs one thread; decode only: ${Math.round(N / (d.p50 / 1000))} tx/s`,
})
log('derive done')

// 5. L1 gas per transfer: post the 10k batch to a fresh anvil and read the receipt
const anvil = await startAnvil({})
try {
  const transport = http(anvil.rpcUrl, { timeout: 120_000 })
  const client = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
  const deployer = createWalletClient({ chain: foundry, transport, account: devAccount('deployer') })
  const sequencer = devAccount('sequencer')
  const hash = await deployer.deployContract({
    abi: RollupInboxAbi,
    bytecode: RollupInboxBytecode,
    args: [deployer.account.address, sequencer.address],
  })
  const inbox = (await client.waitForTransactionReceipt({ hash })).contractAddress!
  const call = {
    index: 0n,
    parentBatchHash: `0x${'00'.repeat(32)}` as Hex,
    firstBlock: 1n,
    lastBlock: BigInt(blocks.length),
    outputRoot: await (async () => {
      // Re-execution throughput on its own: the same replay executor the verifier uses.
      const t = performance.now()
      let head = sequencerChain.head()
      for (const b of blocks) head = await sequencerChain.executeBlock(b)
      const ms = performance.now() - t
      emit({
        bench: 'derive.reexec_tx_per_s',
        value: Math.round(N / (ms / 1000)),
        unit: 'tx/s',
        env: 'node',
        n: N,
        notes: 'EVM re-execution of decoded transfers (ethereumjs, WASM secp256k1/keccak) into an in-memory store',
      })
      return outputRoot({ stateRoot: head.stateRoot, blockHash: head.hash })
    })(),
    cid: cidToHex(channelCid(channel)),
  }
  log('inbox deployed')
  const fees = await estimateBlobFees(client)
  const tx = await signBatchTransaction(client, sequencer, { inbox, call, blobs: sidecars, nonce: 0, fees })
  log('signed')
  await client.sendRawTransaction({ serializedTransaction: tx.serialized })
  log('sent')
  const receipt = await client.waitForTransactionReceipt({ hash: tx.hash })
  const total = receipt.gasUsed + (receipt.blobGasUsed ?? 0n)
  emit({
    bench: 'batch.l1_gas_per_tx',
    value: round(Number(total) / N),
    unit: 'gas/tx',
    env: 'node',
    n: N,
    notes: `execution ${receipt.gasUsed} + blob ${receipt.blobGasUsed} gas for ${N} transfers in ${sidecars.blobs.length} blobs`,
  })
} finally {
  await recovery.close()
  await anvil.service.stop()
}
