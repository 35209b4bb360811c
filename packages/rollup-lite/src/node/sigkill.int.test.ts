/**
 * Durable admission: the node CLI runs as a child process; 8 clients stream up to 200 transfers
 * per round at it (single requests and JSON-RPC batches); the process is SIGKILLed at a random
 * point of the stream, restarted on the same data dir, and every tx whose hash was answered must
 * have its receipt (and its sender's nonce must be past it). 20 rounds, one data dir.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { type Hex, parseGwei } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, it } from 'vitest'
import { TEST_CHAIN_ID } from '../testing.ts'

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url))
const ROUNDS = 20
// Fewer than the 1,000 per round: restarts dominate the time, and a kill lands mid-stream
// all the same (a random number of answers into it).
const TXS_PER_ROUND = 200
const CLIENTS = 8
const RECIPIENT = '0x00000000000000000000000000000000005ea1ed'
const senders = Array.from({ length: CLIENTS }, () => privateKeyToAccount(generatePrivateKey()))

type RpcAnswer = { id: number; result?: unknown; error?: { message: string } }

async function post(url: string, body: unknown): Promise<any> {
  return (await fetch(url, { method: 'POST', body: JSON.stringify(body) })).json()
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const body = (await post(url, { jsonrpc: '2.0', id: 1, method, params })) as RpcAnswer
  if (body.error) throw new Error(body.error.message)
  return body.result
}

function startNode(dataDir: string, genesis: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'node', '--data-dir', dataDir, '--genesis', genesis, '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  children.push(child)
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    lines.on('line', (line) => {
      if (line.includes('"listening"')) resolve({ child, url: JSON.parse(line).url })
    })
    child.once('exit', (code) => reject(new Error(`node exited early (${code})`)))
  })
}

const children: ChildProcess[] = []
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
})

describe('SIGKILL during a stream of transactions', () => {
  it(`keeps every answered tx: ${ROUNDS} rounds, killed at a random point of ${TXS_PER_ROUND} txs`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollup-sigkill-'))
    const genesis = join(dir, 'genesis.json')
    const alloc = Object.fromEntries(senders.map((s) => [s.address, { balance: '0x3635c9adc5dea00000' }]))
    writeFileSync(genesis, JSON.stringify({ chainId: TEST_CHAIN_ID, alloc }))
    const dataDir = join(dir, 'data')
    let node = await startNode(dataDir, genesis)
    let answeredTotal = 0
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const url = node.url
        const nonces = await Promise.all(
          senders.map(async (s) => Number(await rpc(url, 'eth_getTransactionCount', [s.address, 'latest']))),
        )
        const answered: { hash: Hex; sender: number; nonce: number }[] = []
        const killAt = 1 + Math.floor(Math.random() * (TXS_PER_ROUND - 1))
        let sent = 0
        let killed = false
        const exited = new Promise((resolve) => node.child.once('exit', resolve))
        const kill = () => {
          if (killed) return
          killed = true
          node.child.kill('SIGKILL')
        }
        const client = async (c: number) => {
          const sender = senders[c] as (typeof senders)[number]
          for (let i = 0; !killed && sent < TXS_PER_ROUND; i++) {
            // Alternate single requests and batches of 2..6 consecutive nonces.
            const size = i % 2 === 0 ? 1 : 2 + (i % 5)
            const txs: { raw: Hex; nonce: number }[] = []
            for (let k = 0; k < size && sent < TXS_PER_ROUND; k++, sent++) {
              const nonce = nonces[c] as number
              nonces[c] = nonce + 1
              const raw = await sender.signTransaction({
                chainId: TEST_CHAIN_ID,
                type: 'eip1559',
                to: RECIPIENT,
                value: 1n,
                nonce,
                gas: 21_000n,
                maxFeePerGas: parseGwei('10'),
                maxPriorityFeePerGas: 1n,
              })
              txs.push({ raw, nonce })
            }
            const requests = txs.map((t, id) => ({
              jsonrpc: '2.0',
              id,
              method: 'eth_sendRawTransaction',
              params: [t.raw],
            }))
            const answers = (await post(url, size === 1 ? requests[0] : requests).catch(() => undefined)) as
              | RpcAnswer
              | RpcAnswer[]
              | undefined
            if (!answers) return // the node is gone
            for (const a of Array.isArray(answers) ? answers : [answers]) {
              if (typeof a.result === 'string')
                answered.push({ hash: a.result as Hex, sender: c, nonce: (txs[a.id] as { nonce: number }).nonce })
            }
            if (answered.length >= killAt) kill()
          }
        }
        await Promise.all(senders.map((_, c) => client(c)))
        kill() // everything answered before the target: kill now
        await exited
        answeredTotal += answered.length

        const t0 = Date.now()
        node = await startNode(dataDir, genesis)
        console.log(`round ${round}: ${answered.length} answered (kill at ${killAt}), restart ${Date.now() - t0} ms`)
        for (let from = 0; from < answered.length; from += 500) {
          const part = answered.slice(from, from + 500)
          const receipts = (await post(
            node.url,
            part.map((a, id) => ({ jsonrpc: '2.0', id, method: 'eth_getTransactionReceipt', params: [a.hash] })),
          )) as RpcAnswer[]
          for (const r of receipts) {
            const tx = part[r.id] as (typeof part)[number]
            expect(r.result, `round ${round}: answered tx ${tx.hash} lost`).toMatchObject({ status: '0x1' })
          }
        }
        for (const [c, s] of senders.entries()) {
          const last = answered.filter((a) => a.sender === c).reduce((n, a) => Math.max(n, a.nonce), -1)
          const nonce = Number(await rpc(node.url, 'eth_getTransactionCount', [s.address, 'latest']))
          expect(nonce, `round ${round}: sender ${c}`).toBeGreaterThan(last)
        }
      }
      // Each round had something to lose.
      expect(answeredTotal).toBeGreaterThan(ROUNDS)
      console.log(`sigkill: ${answeredTotal} answered txs over ${ROUNDS} rounds, all kept`)
    } finally {
      node.child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
})
