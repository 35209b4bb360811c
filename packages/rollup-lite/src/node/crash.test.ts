/**
 * Durability: a forked node is SIGKILLed while it writes blocks, restarted on the same data dir,
 * and must resume at (at least) the last block it reported persisted, with a state that matches
 * its blocks exactly and a trie complete enough to keep executing.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { type Hex, parseGwei } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, it } from 'vitest'
import { TEST_CHAIN_ID, TEST_KEYS } from '../testing.ts'

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url))
const sender = privateKeyToAccount(TEST_KEYS[0] as Hex)
const RECIPIENT = '0x00000000000000000000000000000000000c0ffe'

async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = (await res.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(body.error.message)
  return body.result
}

function startChild(dataDir: string, genesis: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'node', '--data-dir', dataDir, '--genesis', genesis, '--port', '0', '--block-time', '25'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
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
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
})

describe('crash and restart', () => {
  it('resumes at the last committed block after SIGKILL mid-write, state intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollup-crash-'))
    const genesisPath = join(dir, 'genesis.json')
    writeFileSync(
      genesisPath,
      JSON.stringify({ chainId: TEST_CHAIN_ID, alloc: { [sender.address]: { balance: '0x3635c9adc5dea00000' } } }),
    )
    const dataDir = join(dir, 'data')
    let nonce = 0
    try {
      for (let round = 0; round < 3; round++) {
        const { child, url } = await startChild(dataDir, genesisPath)
        children.push(child)
        // Everything reported before the kill must survive it.
        const resumed = BigInt(await rpc(url, 'eth_blockNumber'))
        nonce = Number(await rpc(url, 'eth_getTransactionCount', [sender.address, 'latest']))
        let persisted = resumed
        let stop = false
        const sending = (async () => {
          while (!stop) {
            const batch = []
            for (let i = 0; i < 40; i++) {
              const raw = await sender.signTransaction({
                chainId: TEST_CHAIN_ID,
                type: 'eip1559',
                to: RECIPIENT,
                value: 1n,
                nonce: nonce++,
                gas: 21_000n,
                maxFeePerGas: parseGwei('10'),
                maxPriorityFeePerGas: 1n,
              })
              batch.push({ jsonrpc: '2.0', id: i, method: 'eth_sendRawTransaction', params: [raw] })
            }
            await fetch(url, { method: 'POST', body: JSON.stringify(batch) }).catch(() => {})
            const s = await rpc(url, 'rollup_status').catch(() => undefined)
            if (s) persisted = BigInt(s.persistedHead)
          }
        })()
        // Kill at a random moment once blocks are flowing (writes are continuous from then on).
        while (persisted < resumed + 3n) await new Promise((r) => setTimeout(r, 10))
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 300)))
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGKILL')
        stop = true
        await sending
        await exited
        expect(persisted).toBeGreaterThan(resumed)

        const restarted = await startChild(dataDir, genesisPath)
        children.push(restarted.child)
        const head = BigInt(await rpc(restarted.url, 'eth_blockNumber'))
        expect(head).toBeGreaterThanOrEqual(persisted)
        // State equals what the committed blocks say: one wei and one nonce per included tx.
        let included = 0
        for (let from = 1n; from <= head; from += 500n) {
          const batch = []
          for (let n = from; n <= head && n < from + 500n; n++) {
            batch.push({
              jsonrpc: '2.0',
              id: Number(n),
              method: 'eth_getBlockByNumber',
              params: [`0x${n.toString(16)}`, false],
            })
          }
          const res = (await (
            await fetch(restarted.url, { method: 'POST', body: JSON.stringify(batch) })
          ).json()) as any[]
          for (const r of res) included += r.result.transactions.length
        }
        expect(BigInt(await rpc(restarted.url, 'eth_getBalance', [RECIPIENT, 'latest']))).toBe(BigInt(included))
        expect(Number(await rpc(restarted.url, 'eth_getTransactionCount', [sender.address, 'latest']))).toBe(included)
        const last = await rpc(restarted.url, 'eth_getBlockByNumber', ['latest', false])
        const status = await rpc(restarted.url, 'rollup_status')
        expect(status.head.stateRoot).toBe(last.stateRoot)
        // Receipts of the last committed block are there.
        for (const h of last.transactions.slice(0, 3))
          expect((await rpc(restarted.url, 'eth_getTransactionReceipt', [h])).status).toBe('0x1')
        const closed = new Promise((r) => restarted.child.once('exit', r))
        restarted.child.kill('SIGTERM')
        await closed
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
