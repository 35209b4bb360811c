/**
 * rollup.sbs.transfers_per_s (env node): rollup-lite side by side with anvil, in one run. Both run
 * as their own processes (anvil with 1 s blocks and a 1e9 gas limit, rollup-lite's CLI with its
 * defaults); the same pre-signed ETH transfers from 200 senders go to each as JSON-RPC batches over
 * HTTP, timed from the first send until every sender's last transfer has a receipt. One chain is
 * measured at a time, so they never compete for the CPU.
 * Run: tsx packages/rollup-lite/src/bench/sbs.bench.ts (BENCH_SBS_NODE_ARGS="--cpu-prof" profiles the node)
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { anvilBinary, freePort } from '@seed/devnet'
import { emit, log, round } from '@seed/testkit/bench'
import { type Hex, keccak256, numberToHex } from 'viem'
import { BENCH_CHAIN_ID, benchGenesis, makeSigners, signTransfers } from './fixtures.ts'

const SENDERS = Number(process.env.BENCH_SENDERS ?? 200)
const PER_SENDER = Number(process.env.BENCH_PER_SENDER ?? 100)
/** Requests per JSON-RPC batch (rollup-lite's default batch limit is 1,000). */
const BATCH = Number(process.env.BENCH_SBS_BATCH ?? 1_000)
/** Batches in flight at once: a client pipelining its sends, as a load generator does. */
const IN_FLIGHT = Number(process.env.BENCH_SBS_IN_FLIGHT ?? 2)
const WARM_PER_SENDER = 2
const only = process.env.BENCH_SBS_ONLY // 'anvil' | 'rollup': measure one side (profiling)

type Chain = { name: string; url: string; pid: number; stop(): Promise<void> }

/** CPU time (user + system, ms) a process has used so far: a figure the shared machine's load does not skew. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}

let rpcId = 0
async function rpc(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
  return res.json()
}

async function call(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const out = (await rpc(url, { jsonrpc: '2.0', id: ++rpcId, method, params })) as { result?: unknown; error?: unknown }
  if (out.error) throw new Error(`${method}: ${JSON.stringify(out.error)}`)
  return out.result
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGINT') // the node writes its CPU profile on a clean exit
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref()
  })
}

async function waitReady(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`)
    try {
      await call(url, 'eth_chainId')
      return
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`${name} did not answer within 60 s`)
}

async function startAnvilChain(funded: readonly Hex[]): Promise<Chain> {
  const port = await freePort()
  const args = ['--host', '127.0.0.1', '--port', String(port), '--hardfork', 'prague', '--silent']
  args.push('--chain-id', String(BENCH_CHAIN_ID), '--block-time', '1', '--gas-limit', '1000000000')
  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'ignore', 'inherit'] })
  const url = `http://127.0.0.1:${port}`
  await waitReady(url, child, 'anvil')
  await rpc(
    url,
    funded.map((a, i) => ({ jsonrpc: '2.0', id: i, method: 'anvil_setBalance', params: [a, numberToHex(10n ** 24n)] })),
  )
  return { name: 'anvil', url, pid: child.pid as number, stop: () => stopProcess(child) }
}

async function startRollupChain(dir: string, genesisJson: string): Promise<Chain> {
  const genesisPath = join(dir, 'genesis.json')
  writeFileSync(genesisPath, genesisJson)
  const cli = join(import.meta.dirname, '../node/cli.ts')
  const nodeArgs = (process.env.BENCH_SBS_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')
  const args = [...nodeArgs, '--import', 'tsx', cli, 'node', '--data-dir', join(dir, 'data')]
  args.push('--genesis', genesisPath, '--port', '0')
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: join(import.meta.dirname, '../..'),
  })
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; url?: string }
        if (event.event === 'listening' && event.url) resolve(event.url)
      } catch {}
    })
    child.once('exit', (code) => reject(new Error(`rollup-lite exited with ${code}`)))
  })
  await waitReady(url, child, 'rollup-lite')
  return { name: 'rollup-lite', url, pid: child.pid as number, stop: () => stopProcess(child) }
}

/** Sends `raws` as batches (IN_FLIGHT at a time) and waits for the receipts of `last`. */
async function run(chain: Chain, raws: readonly Hex[], last: readonly Hex[]): Promise<number> {
  const batches: Hex[][] = []
  for (let i = 0; i < raws.length; i += BATCH) batches.push(raws.slice(i, i + BATCH))
  const start = performance.now()
  let next = 0
  let rejected = 0
  const sender = async () => {
    while (next < batches.length) {
      const batch = batches[next++] as Hex[]
      const out = (await rpc(
        chain.url,
        batch.map((raw, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_sendRawTransaction', params: [raw] })),
      )) as { error?: { message: string } }[]
      for (const r of out) if (r.error) rejected++
      if (rejected > 0)
        throw new Error(`${chain.name} rejected a transfer: ${JSON.stringify(out.find((r) => r.error))}`)
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, sender))
  const waiting = new Set(last)
  while (waiting.size > 0) {
    const hashes = [...waiting]
    const out = (await rpc(
      chain.url,
      hashes.map((h, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_getTransactionReceipt', params: [h] })),
    )) as { id: number; result?: { status: string } | null }[]
    for (const r of out) {
      if (!r.result) continue
      if (r.result.status !== '0x1') throw new Error(`${chain.name}: a transfer failed`)
      waiting.delete(hashes[r.id] as Hex)
    }
    if (waiting.size > 0) await new Promise((r) => setTimeout(r, 20))
  }
  return performance.now() - start
}

const dir = mkdtempSync(join(tmpdir(), 'rollup-sbs-bench-'))
const chains: Chain[] = []
try {
  const signers = makeSigners(SENDERS)
  log(`signing ${SENDERS * (PER_SENDER + WARM_PER_SENDER)} transfers...`)
  const warm = await signTransfers(signers, WARM_PER_SENDER)
  const raws = await signTransfers(signers, PER_SENDER, WARM_PER_SENDER)
  const lastOf = (txs: readonly Hex[]) => txs.slice(-SENDERS).map((raw) => keccak256(raw))
  const genesis = JSON.stringify(benchGenesis(signers), (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))
  const results = new Map<string, number>()
  const cpuUs = new Map<string, number>()
  if (only !== 'rollup') chains.push(await startAnvilChain(signers.map((s) => s.address)))
  if (only !== 'anvil') chains.push(await startRollupChain(dir, genesis))
  for (const chain of chains) {
    await run(chain, warm, lastOf(warm))
    const cpu = cpuMsOf(chain.pid)
    const ms = await run(chain, raws, lastOf(raws))
    const cpuPerTx = round(((cpuMsOf(chain.pid) - cpu) * 1000) / raws.length, 0)
    const value = round((raws.length / ms) * 1000, 0)
    log(
      `${chain.name}: ${raws.length} transfers in ${round(ms, 0)} ms = ${value} tx/s, ${cpuPerTx} µs CPU per transfer`,
    )
    results.set(chain.name, value)
    cpuUs.set(chain.name, cpuPerTx)
  }
  const anvil = results.get('anvil')
  const rollup = results.get('rollup-lite')
  if (anvil !== undefined)
    emit({ bench: 'rollup.sbs.anvil_transfers_per_s', value: anvil, unit: 'tx/s', env: 'node', n: raws.length })
  if (rollup !== undefined) {
    emit({
      bench: 'rollup.sbs.transfers_per_s',
      value: rollup,
      unit: 'tx/s',
      env: 'node',
      n: raws.length,
      ...(anvil !== undefined && { baseline: { name: 'anvil', value: anvil } }),
      notes: `${SENDERS} senders, JSON-RPC batches of ${BATCH} over HTTP (${IN_FLIGHT} in flight), first send to last receipt; CPU per transfer ${[...cpuUs].map(([name, us]) => `${name} ${us} µs`).join(', ')}`,
    })
  }
  if (anvil !== undefined && rollup !== undefined)
    emit({
      bench: 'rollup.sbs.ratio',
      value: round(rollup / anvil, 2),
      unit: 'x',
      env: 'node',
      n: raws.length,
      baseline: { name: 'anvil', value: 1 },
    })
} finally {
  for (const chain of chains) await chain.stop()
  rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
