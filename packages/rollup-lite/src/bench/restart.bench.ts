/**
 * rollup.restart_ms (env node): with BENCH_HISTORY_BLOCKS (default 100,000) blocks of history on
 * disk, time from opening the data dir to the HTTP RPC answering eth_blockNumber and eth_getBalance.
 * Restart must not replay history: it loads the head pointer and reads state lazily.
 * Run: tsx packages/rollup-lite/src/bench/restart.bench.ts
 */
import { rmSync } from 'node:fs'
import { emit, log, round, stats } from '@seed/testkit/bench'
import type { Hex } from 'viem'
import { createRollupNode } from '../create-node.ts'
import { loadNodeCrypto } from '../node/native-crypto.ts'
import { startRpcServer } from '../node/server.ts'
import { openLevelKv } from '../state/level-kv.ts'
import { benchGenesis, makeSigners, signTransfers } from './fixtures.ts'
import { benchNode } from './harness.ts'

const BLOCKS = Number(process.env.BENCH_HISTORY_BLOCKS ?? 100_000)
const signers = makeSigners(4)
const genesis = benchGenesis(signers)
const txs = await signTransfers(signers, Math.ceil(BLOCKS / 1000) + 1)

// History: mostly empty blocks, one with 4 transfers every ~250 blocks. Unsynced writes to build it
// quickly (the restart itself opens the store normally).
const { node, dataDir } = await benchNode(genesis, { sync: false, blockTime: 0 })
const t0 = performance.now()
let next = 0
for (let i = 1; i <= BLOCKS; i++) {
  if (i % 250 === 0 && next < txs.length) {
    for (let k = 0; k < 4 && next < txs.length; k++) {
      await node.handle({ jsonrpc: '2.0', id: i, method: 'eth_sendRawTransaction', params: [txs[next++] as Hex] })
    }
  }
  await node.sealNow(true)
  if (i % 10_000 === 0) log(`history: ${i} blocks (${round((performance.now() - t0) / 1000, 1)} s)`)
}
await node.flushed()
const head = node.status().head.number
await node.close()
log(`history ready: head ${head}`)

const samples: number[] = []
for (let run = 0; run < 5; run++) {
  const start = performance.now()
  const kv = await openLevelKv(dataDir)
  const restarted = await createRollupNode({ kv, genesis, blockTime: 0, crypto: await loadNodeCrypto() })
  const server = await startRpcServer(restarted.rpc)
  const post = async (method: string, params: unknown[]) =>
    (
      (await (
        await fetch(server.url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
      ).json()) as { result: string }
    ).result
  const number = await post('eth_blockNumber', [])
  const balance = await post('eth_getBalance', [signers[0]?.address, 'latest'])
  samples.push(performance.now() - start)
  if (BigInt(number) !== head || BigInt(balance) === 0n) throw new Error('restarted node serves a wrong chain')
  await server.close()
  await restarted.close()
}
rmSync(dataDir, { recursive: true, force: true })
const s = stats(samples)
log(`restart samples (ms): ${samples.map((x) => round(x, 1)).join(', ')}`)
emit({
  bench: 'rollup.restart_ms',
  value: round(s.p50, 1),
  unit: 'ms',
  env: 'node',
  n: s.n,
  p50: round(s.p50, 1),
  p99: round(s.p99, 1),
  notes: `${head} blocks of history`,
})
process.exit(0)
