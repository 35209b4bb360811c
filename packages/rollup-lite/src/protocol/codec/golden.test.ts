/**
 * Golden vectors: the batcher and the verifier share one codec, and these bytes pin it down.
 * Any change to the format shows up here first. Regenerate (only on purpose, with a SPEC.md
 * version bump) with `UPDATE_GOLDEN=1 pnpm vitest run --project unit packages/rollup-lite/src/protocol/codec/golden`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bytesToHex, type Hex, hexToBytes, sha256 } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import type { Batch } from '../types.ts'
import { blobsToChannel, channelToBlobs } from './blob.ts'
import { decodeBatch, encodeBatch } from './channel.ts'
import { makeTraffic, testKey } from './fixtures.ts'

type Golden = {
  batch: {
    chainId: string
    parentHash: Hex
    blocks: { number: string; timestamp: string; l1Origin?: string; transactions: Hex[] }[]
  }
  channel: Hex
  blobsSha256: Hex[]
}

const fromJson = (g: Golden['batch']): Batch => ({
  chainId: BigInt(g.chainId),
  parentHash: g.parentHash,
  blocks: g.blocks.map((b) => ({
    number: BigInt(b.number),
    timestamp: BigInt(b.timestamp),
    ...(b.l1Origin === undefined ? {} : { l1Origin: BigInt(b.l1Origin) }),
    transactions: b.transactions,
  })),
})

/** Every form the codec knows: transfers, ERC-20 calls, a deployment, legacy, access list (raw). */
async function goldenBatch(): Promise<Batch> {
  const chainId = 42_069
  const eth = await makeTraffic({ chainId, txs: 6, senders: 3, recipients: 2, txsPerBlock: 3, seed: 1 })
  const erc20 = await makeTraffic({ chainId, txs: 2, senders: 2, recipients: 2, kind: 'erc20', seed: 2 })
  const other = privateKeyToAccount(testKey('golden', 0))
  const special = [
    await other.signTransaction({ chainId, nonce: 0, gas: 100_000n, gasPrice: 7n, to: null, data: '0x6001600055' }),
    await other.signTransaction({
      type: 'legacy',
      chainId,
      nonce: 1,
      gas: 21_000n,
      gasPrice: 1_000_000_007n,
      to: other.address,
      value: 0n,
    }),
    await other.signTransaction({
      chainId,
      nonce: 2,
      maxFeePerGas: 9n,
      maxPriorityFeePerGas: 1n,
      gas: 30_000n,
      to: other.address,
      accessList: [{ address: other.address, storageKeys: [`0x${'00'.repeat(31)}01`] }],
    }),
  ]
  const blocks = [
    ...eth,
    { number: 3n, timestamp: eth[1]!.timestamp + 5n, transactions: [...erc20[0]!.transactions, ...special] },
    { number: 4n, timestamp: eth[1]!.timestamp + 5n, transactions: [] },
  ]
  return { chainId: BigInt(chainId), parentHash: `0x${'ab'.repeat(32)}`, blocks }
}

const toJson = (b: Batch): Golden['batch'] => ({
  chainId: b.chainId.toString(),
  parentHash: b.parentHash,
  blocks: b.blocks.map((x) => ({
    number: x.number.toString(),
    timestamp: x.timestamp.toString(),
    ...(x.l1Origin === undefined ? {} : { l1Origin: x.l1Origin.toString() }),
    transactions: [...x.transactions],
  })),
})

/** v2: the same blocks with L1 origins (repeated, moving by one and by two). */
const ORIGINS = [100n, 100n, 101n, 103n]
const withOrigins = (b: Batch): Batch => ({
  ...b,
  blocks: b.blocks.map((x, i) => ({ ...x, l1Origin: ORIGINS[i]! })),
})

for (const version of [1, 2]) {
  const file = join(import.meta.dirname, '../golden', `batch-v${version}.json`)
  if (process.env.UPDATE_GOLDEN) {
    const v1 = await goldenBatch()
    const batch = version === 1 ? v1 : withOrigins(v1)
    const channel = encodeBatch(batch)
    const blobs = channelToBlobs(channel)
    const golden: Golden = {
      batch: toJson(batch),
      channel: bytesToHex(channel),
      blobsSha256: blobs.map((b) => sha256(b)),
    }
    writeFileSync(file, `${JSON.stringify(golden, null, 2)}\n`)
  }
  const golden = JSON.parse(readFileSync(file, 'utf8')) as Golden

  test(`v${version}: encode(golden batch) gives the golden channel bytes`, () => {
    expect(bytesToHex(encodeBatch(fromJson(golden.batch)))).toBe(golden.channel)
  })

  test(`v${version}: decode(golden channel) gives the golden batch back`, () => {
    expect(toJson(decodeBatch(hexToBytes(golden.channel)))).toEqual(golden.batch)
  })

  test(`v${version}: the golden channel packs into the golden blobs and back`, () => {
    const blobs = channelToBlobs(hexToBytes(golden.channel))
    expect(blobs.map((b) => sha256(b))).toEqual(golden.blobsSha256)
    expect(bytesToHex(blobsToChannel(blobs))).toBe(golden.channel)
  })

  test(`v${version}: the golden batch covers every transaction form`, () => {
    const txs = golden.batch.blocks.flatMap((b) => b.transactions)
    expect(txs.some((t) => t.startsWith('0x02'))).toBe(true)
    expect(txs.some((t) => t.startsWith('0xf8') || t.startsWith('0xf9'))).toBe(true) // legacy RLP list
    expect(golden.batch.blocks.some((b) => b.transactions.length === 0)).toBe(true)
  })

  test(`v${version}: the channel version byte`, () => {
    expect(hexToBytes(golden.channel)[0]).toBe(version)
  })
}
