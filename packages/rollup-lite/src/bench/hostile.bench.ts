/**
 * rollup.hostile.* (env node): a node under the hostile inputs of issue 12 while a probe asks
 * eth_blockNumber every 20 ms over HTTP. Figures: the probe's latency (p50/p99), the process's
 * max resident memory during the attacks against the idle node's, and how many inputs were tried.
 * The attackers run in the same process as the node (their own parsing adds to both figures).
 * Run: pnpm bench hostile (or tsx packages/rollup-lite/src/bench/hostile.bench.ts)
 */
import { emit, log, round, stats } from '@seed/testkit/bench'
import { type Hex, parseGwei, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { WebSocket } from 'ws'
import { startTestNode, TEST_CHAIN_ID, TEST_KEYS, testGenesis } from '../testing.ts'

const LOGGER: Hex = '0x5f355b80156012575f5fa0600190036002565b00' // LOG0 × calldata word
const LOGGER_ADDRESS: Hex = '0x00000000000000000000000000000000000010c0'
const LOOP: Hex = '0x5b5f56' // JUMPDEST PUSH0 JUMP
const LOOP_ADDRESS: Hex = '0x0000000000000000000000000000000000001001'
const IDLE_MS = 3_000

const t = await startTestNode({
  blockTime: 100,
  sealEmptyBlocks: true,
  genesis: testGenesis({ [LOGGER_ADDRESS]: { balance: 0n, code: LOGGER } }),
})
const url = t.server.url
const post = async (body: unknown) => {
  const res = await fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  })
  return res.json() as Promise<unknown>
}
const call = (method: string, params: unknown[] = []) => post({ jsonrpc: '2.0', id: 1, method, params })

let inputs = 0
let maxRss = 0
const rssTimer = setInterval(() => {
  maxRss = Math.max(maxRss, process.memoryUsage().rss)
}, 50)

/** Probe latencies with the time each answer came, to attribute slow ones to an attack. */
const timeline: Array<{ at: number; ms: number }> = []

function probe() {
  const samples: number[] = []
  let running = true
  const done = (async () => {
    while (running) {
      const started = performance.now()
      await call('eth_blockNumber')
      const ms = performance.now() - started
      samples.push(ms)
      timeline.push({ at: performance.now(), ms })
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })()
  return async () => {
    running = false
    await done
    return samples
  }
}

log('idle...')
const stopIdle = probe()
await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
await stopIdle()
const idleRss = maxRss

const sendLogs = async (key: Hex, count: bigint) => {
  const account = privateKeyToAccount(key)
  const nonce = (await call('eth_getTransactionCount', [account.address, 'latest'])) as { result: Hex }
  const raw = await account.signTransaction({
    chainId: TEST_CHAIN_ID,
    type: 'eip1559',
    to: LOGGER_ADDRESS,
    data: toHex(count, { size: 32 }),
    nonce: Number(nonce.result),
    gas: 20_000_000n,
    maxFeePerGas: parseGwei('10'),
    maxPriorityFeePerGas: 1n,
  })
  inputs++
  await call('eth_sendRawTransaction', [raw])
}

const runaway = { to: LOOP_ADDRESS, gas: toHex(6_000_000_000n) }
const loopOverride = { [LOOP_ADDRESS]: { code: LOOP } }
const attacks: Array<[string, () => Promise<unknown>]> = [
  [
    'runaway eth_call × 3 (6e9 gas, infinite loop)',
    () => {
      inputs += 3
      return Promise.all([1, 2, 3].map(() => call('eth_call', [runaway, 'latest', loopOverride])))
    },
  ],
  [
    'batch of 1,000 runaway calls',
    () => {
      inputs += 1_000
      return post(
        Array.from({ length: 1_000 }, (_, id) => ({
          jsonrpc: '2.0',
          id,
          method: 'eth_call',
          params: [runaway, 'latest', loopOverride],
        })),
      )
    },
  ],
  [
    '10 log filters, 2 × 40,000 logs',
    async () => {
      for (let i = 0; i < 10; i++) {
        inputs++
        await call('eth_newFilter', [{}])
      }
      await sendLogs(TEST_KEYS[1] as Hex, 40_000n)
      await sendLogs(TEST_KEYS[1] as Hex, 40_000n)
    },
  ],
  [
    '200 logs subscriptions on clients that stopped reading, 20,000 logs',
    async () => {
      const sockets = await Promise.all(
        [1, 2].map(async () => {
          const ws = new WebSocket(t.server.wsUrl)
          await new Promise((resolve) => ws.once('open', resolve))
          for (let id = 0; id < 100; id++) {
            inputs++
            ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'eth_subscribe', params: ['logs', {}] }))
          }
          return ws
        }),
      )
      await new Promise((resolve) => setTimeout(resolve, 500))
      for (const ws of sockets) (ws as unknown as { _socket: { pause(): void } })._socket.pause()
      await sendLogs(TEST_KEYS[2] as Hex, 20_000n)
      await new Promise((resolve) => setTimeout(resolve, 3_000))
      for (const ws of sockets) ws.terminate()
    },
  ],
  [
    'eth_getProof with 20,000 keys × 5, garbage params × 200',
    async () => {
      const keys = Array.from({ length: 20_000 }, (_, i) => toHex(i, { size: 32 }))
      for (let i = 0; i < 5; i++) {
        inputs++
        await call('eth_getProof', [LOGGER_ADDRESS, keys, 'latest'])
      }
      for (let i = 0; i < 200; i++) {
        inputs++
        await call(['eth_call', 'eth_getProof', 'eth_getBlockByNumber', 'eth_getLogs'][i % 4] as string, [
          { authorizationList: [i], topics: 'x' },
          'x'.repeat(i),
          { blockHash: 7 },
        ])
      }
    },
  ],
]

log('attacks...')
const stopProbe = probe()
const started = performance.now()
for (const [name, attack] of attacks) {
  const t0 = performance.now()
  const rssBefore = maxRss
  await attack()
  const during = stats(timeline.filter((x) => x.at >= t0).map((x) => x.ms))
  const rss = `max rss ${round(maxRss / 2 ** 20, 1)} MiB${maxRss > rssBefore ? ' (new max)' : ''}`
  log(
    `${name}: ${Math.round(performance.now() - t0)} ms; probe p50 ${during.p50} p99 ${during.p99} max ${during.max}; ${rss}`,
  )
  timeline.length = 0
}
const samples = await stopProbe()
clearInterval(rssTimer)
const s = stats(samples)
emit({
  bench: 'rollup.hostile.liveness_ms',
  value: s.p50,
  unit: 'ms',
  env: 'node',
  n: s.n,
  p50: s.p50,
  p99: s.p99,
  max: s.max,
  notes: `eth_blockNumber every 20 ms over HTTP during ${Math.round((performance.now() - started) / 1000)} s of attacks`,
})
emit({
  bench: 'rollup.hostile.rss_mb',
  value: round(maxRss / 2 ** 20, 1),
  unit: 'MiB',
  env: 'node',
  baseline: { name: 'idle node rss_mb', value: round(idleRss / 2 ** 20, 1) },
  notes: 'max resident memory of the process (node and attackers)',
})
emit({ bench: 'rollup.hostile.inputs', value: inputs, unit: 'inputs', env: 'node' })
await t.close()
