import { privateKeyToAddress } from 'viem/accounts'
import { expect, test } from 'vitest'
import { TRIE_NODE_PREFIX } from '../chain/codec.ts'
import { serializeDepositTransaction } from '../protocol/bridge/deposit.ts'
import { makeTraffic, testKey } from '../protocol/codec/fixtures.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { createReplayExecutor } from './replay.ts'

const chainId = 42_069
const genesis = {
  chainId,
  timestamp: 0,
  baseFeePerGas: 1_000_000n,
  alloc: Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [privateKeyToAddress(testKey('sender', i)), { balance: 10n ** 21n }]),
  ),
}

test('a scratch verifier (no receipts or indexes persisted) lands on the same head at every block as a serving one', async () => {
  // 300 blocks: past the 256-block BLOCKHASH window the scratch store keeps; pairs of blocks share
  // a timestamp (blocks sealed within one second), the other blocks move it on.
  const blocks = (await makeTraffic({ chainId, txs: 600, senders: 10, recipients: 5, txsPerBlock: 2 })).map((b, i) => ({
    ...b,
    timestamp: 1_767_225_600n + BigInt(Math.floor(i / 2)),
  }))
  const serving = await createReplayExecutor({ kv: memoryKv(), genesis })
  const scratchKv = memoryKv()
  let written = 0
  const scratch = await createReplayExecutor({
    kv: {
      ...scratchKv,
      batch: async (ops) => {
        written += ops.filter((o) => !o.key.startsWith(TRIE_NODE_PREFIX)).length
        await scratchKv.batch(ops)
      },
    },
    genesis,
    serving: false,
  })
  written = 0
  for (const block of blocks) {
    const [a, b] = [await serving.executeBlock(block), await scratch.executeBlock(block)]
    expect(b).toEqual(a)
  }
  expect(scratch.head().number).toBe(300n)
  expect(written).toBe(0) // only state trie nodes
}, 120_000)

test('a deposit carried in the batch is an invalid block: deposits come only from L1 logs', async () => {
  const replay = await createReplayExecutor({ kv: memoryKv(), genesis })
  const forged = serializeDepositTransaction({
    sourceHash: `0x${'22'.repeat(32)}`,
    from: privateKeyToAddress(testKey('sender', 0)),
    to: null,
    mint: 10n ** 24n,
    value: 0n,
    gas: 21_000n,
    isSystemTx: false,
    data: '0x',
  })
  await expect(replay.executeBlock({ number: 1n, timestamp: 1n, transactions: [forged] })).rejects.toThrow(
    /transaction 0: transaction type not supported: deposit transactions come only from L1/,
  )
})

test('deposits given with a block are executed first: the mint is credited, the block commits to its origin', async () => {
  const replay = await createReplayExecutor({ kv: memoryKv(), genesis })
  const to = privateKeyToAddress(testKey('deposit', 0))
  const deposit = {
    sourceHash: `0x${'33'.repeat(32)}` as const,
    from: to,
    to,
    mint: 5n,
    value: 5n,
    gas: 21_000n,
    isSystemTx: false,
    data: '0x' as const,
  }
  const head = await replay.executeBlock({ number: 1n, timestamp: 1n, l1Origin: 9n, transactions: [] }, undefined, [
    deposit,
  ])
  expect(head.l1Origin).toBe(9n)
  const again = await createReplayExecutor({ kv: memoryKv(), genesis })
  const without = await again.executeBlock({ number: 1n, timestamp: 1n, l1Origin: 9n, transactions: [] })
  expect(without.stateRoot).not.toBe(head.stateRoot)
})
