/** Shared bench plumbing: a durable in-process node on a temp LevelDB dir, submission helpers. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hex } from 'viem'
import type { Genesis } from '../chain/types.ts'
import { createRollupNode, type RollupNode, type RollupNodeOptions } from '../create-node.ts'
import { loadNodeCrypto } from '../node/native-crypto.ts'
import { createRecoverPool } from '../node/recover-pool.ts'
import { openLevelKv } from '../state/level-kv.ts'

export async function benchNode(
  genesis: Genesis,
  options: Partial<RollupNodeOptions> & { sync?: boolean; dataDir?: string } = {},
): Promise<{ node: RollupNode; dataDir: string; dispose(): Promise<void> }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rollup-bench-'))
  const kv = await openLevelKv(dataDir, { sync: options.sync ?? true })
  const crypto = await loadNodeCrypto()
  const node = await createRollupNode({
    genesis,
    blockTime: 250,
    maxBlockTxs: 2_000,
    maxPerSender: 4_096,
    crypto,
    recoverer: process.env.BENCH_NO_POOL ? undefined : createRecoverPool(crypto.keccak256),
    ...options,
    kv,
  })
  return {
    node,
    dataDir,
    async dispose() {
      await node.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

let profiles = 0

/**
 * Profiles of the executing thread over each `submitAndPersist` (`<prefix>-1.…` the first
 * warm-up, `-2` its measured run, …; Chrome DevTools opens both), so signing and setup stay out:
 * - `BENCH_HEAP_PROFILE=<prefix>`: a sampling heap profile counting objects the GC has already
 *   collected: where a tx's allocations come from (the sum of `selfSize` is the bytes allocated).
 * - `BENCH_CPU_PROFILE=<prefix>`: a CPU profile (`.cpuprofile`).
 * Returns their stop-and-write.
 */
async function startProfiles(): Promise<(() => Promise<void>) | undefined> {
  const heapPrefix = process.env.BENCH_HEAP_PROFILE
  const cpuPrefix = process.env.BENCH_CPU_PROFILE
  if (!heapPrefix && !cpuPrefix) return undefined
  const n = ++profiles
  const session = new Session()
  session.connect()
  if (heapPrefix) {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
  }
  if (cpuPrefix) {
    await session.post('Profiler.enable')
    await session.post('Profiler.start')
  }
  return async () => {
    if (heapPrefix) {
      const { profile } = await session.post('HeapProfiler.stopSampling')
      writeFileSync(`${heapPrefix}-${n}.heapprofile`, JSON.stringify(profile))
    }
    if (cpuPrefix) {
      const { profile } = await session.post('Profiler.stop')
      writeFileSync(`${cpuPrefix}-${n}.cpuprofile`, JSON.stringify(profile))
    }
    session.disconnect()
  }
}

/** Submits all raw txs through the RPC handler (in-process) and waits until all are persisted. */
export async function submitAndPersist(
  node: RollupNode,
  raws: readonly Hex[],
): Promise<{ ms: number; cpuMs: number; mainCpuMs: number; failed: number }> {
  const stopProfiles = await startProfiles()
  const start = performance.now()
  const cpu = process.cpuUsage()
  const main = mainThreadCpuMs()
  const results = await Promise.all(
    raws.map((raw, i) => node.handle({ jsonrpc: '2.0', id: i, method: 'eth_sendRawTransaction', params: [raw] })),
  )
  const failed = results.filter((r) => r && !Array.isArray(r) && r.error).length
  while (node.status().pendingCount > 0) await new Promise((r) => setTimeout(r, 2))
  await node.sealNow()
  await node.flushed()
  const used = process.cpuUsage(cpu)
  await stopProfiles?.()
  return {
    ms: performance.now() - start,
    cpuMs: (used.user + used.system) / 1000,
    mainCpuMs: mainThreadCpuMs() - main,
    failed,
  }
}

/**
 * CPU time (ms) of the executing thread alone (Linux; 0 elsewhere): the process figure also counts
 * sender recovery and V8's GC helpers on the other threads, this one is the sequencer's critical path.
 */
function mainThreadCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return 0
  }
}
