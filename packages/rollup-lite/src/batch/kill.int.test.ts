/**
 * SIGKILL mid-batch: a real `rollup-lite node --batch-*` process is killed right after it sent a
 * batch transaction (still unmined), restarted on the same LevelDB directory, and must confirm
 * that batch without posting it again, then keep batching; the chain re-derives from L1.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RollupInboxAbi } from '@seed/contracts'
import type {} from '@seed/testkit/global-setup'
import { type Address, bytesToHex, createWalletClient, type Hex, http, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, expect, inject, test } from 'vitest'
import { deriveChain } from '../derive/derive.ts'
import { createReplayExecutor } from '../derive/replay.ts'
import { deployInbox, l1Clients, l1Sequencer } from '../derive/testing.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { rollupChain, TEST_KEYS, testGenesis } from '../testing.ts'

const manifest = inject('manifest')
const { publicClient } = l1Clients(manifest)
const rpc = (method: string, params: unknown[] = []) =>
  publicClient.request({ method: method as never, params: params as never })
const dir = mkdtempSync(join(tmpdir(), 'batch-kill-'))
const genesis = testGenesis()
const genesisFile = join(dir, 'genesis.json')
writeFileSync(
  genesisFile,
  JSON.stringify(genesis, (_, v) => (typeof v === 'bigint' ? v.toString() : v)),
)
const cli = join(import.meta.dirname, '../../bin/rollup-lite.mjs')
const children: ChildProcess[] = []

afterAll(async () => {
  await rpc('evm_setAutomine', [true])
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

type Proc = {
  child: ChildProcess
  lines: Record<string, unknown>[]
  waitFor(event: string): Promise<Record<string, unknown>>
}

function startNode(inbox: Address): Proc {
  const child = spawn(
    process.execPath,
    [
      cli,
      'node',
      '--data-dir',
      join(dir, 'data'),
      '--genesis',
      genesisFile,
      '--port',
      '0',
      '--block-time',
      '100',
      '--batch-l1',
      manifest.l1.rpcUrl,
      '--batch-inbox',
      inbox,
      '--batch-ipfs',
      manifest.services.ipfsHttp!,
      '--batch-max-wait',
      '0',
    ],
    {
      env: { ...process.env, SEQUENCER_KEY: bytesToHex(l1Sequencer.getHdKey().privateKey!) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  children.push(child)
  const lines: Record<string, unknown>[] = []
  let buffer = ''
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString()
    const parts = buffer.split('\n')
    buffer = parts.pop()!
    for (const l of parts) if (l.startsWith('{')) lines.push(JSON.parse(l))
  })
  return {
    child,
    lines,
    async waitFor(event) {
      for (let i = 0; i < 600; i++) {
        const found = lines.find((l) => l.event === event)
        if (found) return found
        if (child.exitCode !== null) throw new Error(`node exited (${child.exitCode}) before ${event}`)
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`timed out waiting for ${event}`)
    },
  }
}

let nonce = 0
async function sendTransfers(url: string, count: number) {
  const wallet = createWalletClient({
    chain: rollupChain(url),
    transport: http(url),
    account: privateKeyToAccount(TEST_KEYS[0]!),
  })
  for (let i = 0; i < count; i++) {
    await wallet.sendTransaction({
      to: `0x${'42'.repeat(20)}`,
      value: parseEther('0.01'),
      nonce: nonce++,
      gas: 21_000n,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 1n,
    })
  }
}

test('a node killed mid-batch resumes without losing or doubling a batch', async () => {
  const inbox = await deployInbox(manifest)
  const batchCount = () =>
    publicClient.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'batchCount' })
  await rpc('evm_setAutomine', [false])
  const first = startNode(inbox)
  const { url } = (await first.waitFor('listening')) as { url: string }
  await sendTransfers(url, 5)
  const sent = await first.waitFor('batch.sent')
  first.child.kill('SIGKILL') // the blob tx sits unmined in the L1 pool
  await new Promise((r) => first.child.once('exit', r))
  expect(await batchCount()).toBe(0n)

  const second = startNode(inbox)
  const { url: url2 } = (await second.waitFor('listening')) as { url: string }
  await rpc('evm_mine')
  const confirmed = await second.waitFor('batch.confirmed')
  expect(confirmed).toMatchObject({ index: '0', lastBlock: sent.lastBlock })
  expect(second.lines.some((l) => l.event === 'batch.sent' && l.index === '0')).toBe(false)
  expect(await batchCount()).toBe(1n)

  await rpc('evm_setAutomine', [true])
  await sendTransfers(url2, 3)
  await second.waitFor('batch.sent')
  for (let i = 0; i < 100 && (await batchCount()) < 2n; i++) await new Promise((r) => setTimeout(r, 100))
  expect(await batchCount()).toBe(2n)
  const head = (await (
    await fetch(url2, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getBlockByNumber', params: ['latest', false] }),
    })
  ).json()) as { result: { number: Hex; stateRoot: Hex } }
  second.child.kill('SIGTERM')

  const result = await deriveChain({
    l1: publicClient,
    inbox,
    chainId: BigInt(genesis.chainId),
    executor: await createReplayExecutor({ kv: memoryKv(), genesis }),
    beaconUrl: manifest.l1.beaconUrl,
  })
  expect(result.ok).toBe(true)
  expect(result.txs).toBe(8)
  expect(result.head.number).toBeLessThanOrEqual(BigInt(head.result.number))
}, 120_000)
