import { RLP } from '@ethereumjs/rlp'
import { hexToBytes, keccak256, numberToBytes, parseGwei, toBytes } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { decodeBlock, decodeReceipts, encodeBlock, encodeReceipts, headerToFields } from './codec.ts'
import type { RollupHeader, SealedBlock, StoredReceipt } from './types.ts'

type Nested = Uint8Array | Nested[]

/** The block encoding as the generic RLP encoder gives it (legacy txs as lists, typed txs as strings). */
const reference = (headerRlp: Uint8Array, txs: Uint8Array[]) =>
  RLP.encode([
    RLP.decode(headerRlp) as Nested,
    txs.map((raw) => ((raw[0] as number) >= 0xc0 ? (RLP.decode(raw) as Nested) : raw)),
    [],
    [],
  ])

/** RLP integers: minimal big-endian bytes, zero as the empty string. */
const bigintBytes = (n: bigint) => (n === 0n ? new Uint8Array() : numberToBytes(n))
const hash = (b: Uint8Array) => toBytes(keccak256(b))
const zero32 = `0x${'00'.repeat(32)}` as const

const header = (number: bigint): RollupHeader => ({
  parentHash: zero32,
  number,
  timestamp: 1_700_000_000n + number,
  stateRoot: keccak256('0x01'),
  transactionsRoot: keccak256('0x02'),
  receiptsRoot: keccak256('0x03'),
  logsBloom: `0x${'00'.repeat(256)}`,
  gasLimit: 30_000_000n,
  gasUsed: 21_000n * number,
  baseFeePerGas: 7n,
  miner: '0x4200000000000000000000000000000000000011',
  extraData: '0x',
  mixHash: zero32,
  withdrawalsRoot: keccak256('0xc0'),
  blobGasUsed: 0n,
  excessBlobGas: 0n,
  parentBeaconBlockRoot: zero32,
  requestsHash: keccak256('0x'),
})

describe('encodeBlock', () => {
  it('writes the bytes of the generic RLP encoder for legacy, EIP-2930 and EIP-1559 txs, and decodes back', async () => {
    const account = privateKeyToAccount(generatePrivateKey())
    const to = '0x00000000000000000000000000000000000e2c20'
    const sign = (i: number, data: `0x${string}`) =>
      i % 3 === 0
        ? account.signTransaction({
            type: 'legacy',
            chainId: 31338,
            to,
            gas: 90_000n,
            gasPrice: parseGwei('1'),
            nonce: i,
            data,
          })
        : i % 3 === 1
          ? account.signTransaction({
              type: 'eip2930',
              chainId: 31338,
              to,
              gas: 90_000n,
              gasPrice: 1n,
              nonce: i,
              accessList: [],
              data,
            })
          : account.signTransaction({
              type: 'eip1559',
              chainId: 31338,
              to,
              gas: 90_000n,
              maxFeePerGas: 9n,
              nonce: i,
              data,
            })
    // Empty blocks, one tx, and enough txs (some with large data) for multi-byte list lengths.
    for (const [count, dataBytes] of [
      [0, 0],
      [1, 0],
      [7, 40],
      [300, 600],
    ] as const) {
      const raws: Uint8Array[] = []
      for (let i = 0; i < count; i++)
        raws.push(hexToBytes(await sign(i, `0x${'ab'.repeat(i % 2 === 0 ? dataBytes : 0)}`)))
      const h = header(BigInt(count))
      const headerRlp = RLP.encode(headerToFields(h))
      const block: SealedBlock = {
        hash: keccak256(headerRlp),
        header: h,
        headerRlp,
        transactions: raws,
        transactionHashes: raws.map((r) => keccak256(r)),
      }
      const bytes = encodeBlock(block)
      expect(bytes).toEqual(reference(block.headerRlp, raws))
      expect(decodeBlock(bytes, hash)).toEqual(block)
    }
  })
})

describe('encodeReceipts', () => {
  it('writes the bytes of the generic RLP encoder and decodes back, with and without logs', () => {
    const address = '0x00000000000000000000000000000000000e2c20'
    const receipts: StoredReceipt[] = [0n, 1n, 255n, 256n, 21_000n, 2n ** 48n - 1n, 2n ** 48n, 10n ** 24n].map(
      (n, i) => ({
        status: (i % 2) as 0 | 1,
        cumulativeGasUsed: n,
        gasUsed: n,
        effectiveGasPrice: n * 3n,
        from: address,
        contractAddress: i === 3 ? address : null,
        logs:
          i % 3 === 0
            ? []
            : [{ address, topics: [keccak256('0x01'), keccak256('0x02')], data: `0x${'cd'.repeat(i * 20)}` }],
        logsBloom: i % 3 === 0 ? `0x${'00'.repeat(256)}` : `0x${'01'.repeat(256)}`,
      }),
    )
    for (const some of [[], receipts.slice(0, 1), receipts]) {
      const bytes = encodeReceipts(some)
      expect(bytes).toEqual(
        RLP.encode(
          some.map((r) => [
            bigintBytes(BigInt(r.status)),
            bigintBytes(r.cumulativeGasUsed),
            bigintBytes(r.gasUsed),
            bigintBytes(r.effectiveGasPrice),
            hexToBytes(r.from),
            r.contractAddress ? hexToBytes(r.contractAddress) : new Uint8Array(),
            r.logs.map((l) => [hexToBytes(l.address), l.topics.map((t) => hexToBytes(t)), hexToBytes(l.data)]),
            hexToBytes(r.logsBloom),
          ]),
        ),
      )
      expect(decodeReceipts(bytes)).toEqual(some)
    }
  })
})
