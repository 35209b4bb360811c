import { privateKeyToAddress } from 'viem/accounts'
import { afterAll, describe, expect, test } from 'vitest'
import { loadNodeCrypto } from '../node/native-crypto.ts'
import { decodeBatch, encodeBatch } from '../protocol/codec/channel.ts'
import { makeTraffic, testKey } from '../protocol/codec/fixtures.ts'
import type { Batch } from '../protocol/types.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { createSenderRecovery } from './recovery.ts'
import { createRecoverThreads } from './recovery-threads.ts'
import { createReplayExecutor, InvalidBlockError } from './replay.ts'
import { recoverSender } from './senders.ts'

const chainId = 42_069
const crypto = await loadNodeCrypto()
const threads = createRecoverThreads({ threads: 2 })
const modes = {
  'worker threads': createSenderRecovery(crypto, threads),
  'this thread': createSenderRecovery(crypto),
}
afterAll(() => Promise.all(Object.values(modes).map((m) => m.close())))

const genesis = {
  chainId,
  timestamp: 0,
  baseFeePerGas: 1_000_000n,
  alloc: Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [privateKeyToAddress(testKey('sender', i)), { balance: 10n ** 21n }]),
  ),
}
const blocks = await makeTraffic({ chainId, txs: 1200, senders: 20, recipients: 5, txsPerBlock: 300 })
const channel = encodeBatch({ chainId: BigInt(chainId), parentHash: `0x${'00'.repeat(32)}`, blocks })

/** Decodes with batch-wide recovery, then executes every block on a fresh replay chain. */
async function derive(mode: keyof typeof modes, bytes: Uint8Array) {
  const run = modes[mode].begin()
  const batch: Batch = decodeBatch(bytes, run.collect)
  const senders = run.start()
  const executor = await createReplayExecutor({ kv: memoryKv(), genesis })
  let offset = 0
  for (const block of batch.blocks) {
    const at = offset
    await executor.executeBlock(block, (i) => senders.sender(at + i))
    offset += block.transactions.length
  }
  return { batch, senders, head: executor.head() }
}

test('the worker threads use the native binding', () => {
  expect(threads).toBeDefined()
})

describe.each(Object.keys(modes) as (keyof typeof modes)[])('batch-wide recovery on %s', (mode) => {
  test('recovers the same senders as a full transaction parse, across chunks', async () => {
    const { batch, senders } = await derive(mode, channel)
    const raws = batch.blocks.flatMap((b) => b.transactions)
    expect(raws.length).toBeGreaterThan(1024) // several chunks
    const got = await Promise.all(raws.map((_, i) => senders.sender(i)!))
    expect(got).toEqual(raws.map((r) => recoverSender(r, crypto).toLowerCase()))
  })

  test('replays to the same head as recovering at execution', async () => {
    const reference = await createReplayExecutor({ kv: memoryKv(), genesis })
    for (const block of blocks) await reference.executeBlock(block)
    expect((await derive(mode, channel)).head).toEqual(reference.head())
  })

  test('a tampered signature stops derivation at its block', async () => {
    const bad = channel.slice()
    const sigs = bad.length - Math.ceil(1200 / 8) - 1200 * 64
    bad[sigs + 700 * 64 + 5]! ^= 1 // r of tx 700 (block 3): another key, or none
    await expect(derive(mode, bad)).rejects.toThrow(InvalidBlockError)
    await expect(derive(mode, bad)).rejects.toThrow(/L2 block 3/)
  })

  test('a high-s signature (EIP-2) is rejected even though it recovers', async () => {
    const bad = channel.slice()
    const sigs = bad.length - Math.ceil(1200 / 8) - 1200 * 64
    const at = sigs + 10 * 64 + 32
    const s = BigInt(`0x${Buffer.from(bad.subarray(at, at + 32)).toString('hex')}`)
    const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
    bad.set(Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'), at)
    bad[bad.length - Math.ceil(1200 / 8) + 1]! ^= 1 << 2 // flip tx 10's y-parity: same key, high s
    await expect(derive(mode, bad)).rejects.toThrow(/L2 block 1: transaction 10/)
  })
})
