import { privateKeyToAddress } from 'viem/accounts'
import { expect, test } from 'vitest'
import { makeTraffic, testKey } from '../protocol/codec/fixtures.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { TRIE_NODE_PREFIX } from '../state/trie-db.ts'
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
