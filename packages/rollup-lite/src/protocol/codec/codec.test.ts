import { bytesToHex, hexToBytes } from 'viem'
import { describe, expect, test } from 'vitest'
import { BatchDecodeError } from '../errors.ts'
import { BYTES_PER_BLOB, blobsToChannel, blobToData, channelToBlobs, dataToBlob, MAX_BLOB_DATA_SIZE } from './blob.ts'
import { decodeBatch, encodeBatch } from './channel.ts'
import { makeTraffic, rng } from './fixtures.ts'

const parentHash = `0x${'11'.repeat(32)}` as const
const blocks = await makeTraffic({ txs: 300, senders: 50, recipients: 10, txsPerBlock: 40 })
const batch = { chainId: 42_069n, parentHash, blocks }

describe('channel', () => {
  test('round-trips signed transfers byte for byte', () => {
    const back = decodeBatch(encodeBatch(batch))
    expect(back.parentHash).toBe(parentHash)
    expect(back.blocks.map((b) => b.transactions)).toEqual(blocks.map((b) => b.transactions))
    expect(back.blocks.map((b) => [b.number, b.timestamp])).toEqual(blocks.map((b) => [b.number, b.timestamp]))
  })

  test('an ETH transfer costs under 70 bytes (signature floor is 65)', () => {
    expect(encodeBatch(batch).length / 300).toBeLessThan(70)
  })

  test('ERC-20 transfers round-trip through their own columns and cost under 70 bytes', async () => {
    const erc20 = await makeTraffic({ txs: 300, senders: 50, recipients: 10, kind: 'erc20', seed: 5 })
    const channel = encodeBatch({ ...batch, blocks: erc20 })
    expect(decodeBatch(channel).blocks.map((b) => b.transactions)).toEqual(erc20.map((b) => b.transactions))
    expect(channel.length / 300).toBeLessThan(70)
  })

  test('a transaction signed for another chain is kept whole, not re-signed for this one', async () => {
    const foreign = await makeTraffic({ txs: 2, chainId: 1 })
    const mixed = { ...batch, blocks: [{ ...blocks[0]!, transactions: foreign[0]!.transactions }] }
    expect(decodeBatch(encodeBatch(mixed)).blocks[0]!.transactions).toEqual(foreign[0]!.transactions)
  })

  test('rejects blocks that are not contiguous', () => {
    const gap = { ...batch, blocks: [blocks[0]!, { ...blocks[1]!, number: 9n }] }
    expect(() => encodeBatch(gap)).toThrow(BatchDecodeError)
  })

  test.each([
    ['an unknown version', (c: Uint8Array) => c.set([2], 0)],
    ['a flipped compressed byte', (c: Uint8Array) => c.set([c[10]! ^ 0xff], 10)],
  ])('rejects %s', (_, tamper) => {
    const c = encodeBatch(batch)
    tamper(c)
    expect(() => decodeBatch(c)).toThrow(BatchDecodeError)
  })

  test('rejects truncated and extended channels', () => {
    const c = encodeBatch(batch)
    expect(() => decodeBatch(c.subarray(0, c.length - 1))).toThrow(BatchDecodeError)
    expect(() => decodeBatch(new Uint8Array([...c, 0]))).toThrow(BatchDecodeError)
  })

  test('a flipped signature byte changes the transaction (the verifier then recovers another sender)', () => {
    const c = encodeBatch(batch)
    c[c.length - 100]! ^= 1
    const tx = decodeBatch(c).blocks.flatMap((b) => b.transactions)
    expect(tx).not.toEqual(blocks.flatMap((b) => b.transactions))
  })
})

describe('blobs', () => {
  const random = rng(3)
  const data = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256))

  test.each([0, 1, 27, 28, 127, 1000, MAX_BLOB_DATA_SIZE])('round-trips %i bytes', (n) => {
    const d = data(n)
    const blob = dataToBlob(d)
    expect(blob.length).toBe(BYTES_PER_BLOB)
    for (let i = 0; i < BYTES_PER_BLOB; i += 32) expect(blob[i]! & 0xc0).toBe(0)
    expect(bytesToHex(blobToData(blob))).toBe(bytesToHex(d))
  })

  test('holds 130,044 bytes per blob', () => {
    expect(MAX_BLOB_DATA_SIZE).toBe(130_044)
    expect(() => dataToBlob(data(MAX_BLOB_DATA_SIZE + 1))).toThrow(RangeError)
  })

  test('splits a channel across blobs and joins it back', () => {
    const d = data(MAX_BLOB_DATA_SIZE * 2 + 5)
    const blobs = channelToBlobs(d)
    expect(blobs).toHaveLength(3)
    expect(bytesToHex(blobsToChannel(blobs))).toBe(bytesToHex(d))
    expect(() => blobsToChannel([blobs[2]!, blobs[0]!])).toThrow(BatchDecodeError) // partial blob not last
    expect(() => channelToBlobs(data(MAX_BLOB_DATA_SIZE * 6 + 1))).toThrow(RangeError)
  })

  test('rejects field elements above the modulus range and bytes after the data', () => {
    const blob = dataToBlob(data(100))
    const high = blob.slice()
    high[64] = 0x40
    expect(() => blobToData(high)).toThrow(BatchDecodeError)
    const tail = blob.slice()
    tail[BYTES_PER_BLOB - 1] = 1
    expect(() => blobToData(tail)).toThrow(BatchDecodeError)
    const version = blob.slice()
    version[1] = 1
    expect(() => blobToData(version)).toThrow(BatchDecodeError)
  })

  test('blob hex and bytes decode alike', () => {
    const d = data(500)
    const [blob] = channelToBlobs(d)
    expect(bytesToHex(blobsToChannel([hexToBytes(blob!)]))).toBe(bytesToHex(d))
  })
})

describe('channel v2: L1 origins', () => {
  const withOrigins = (origins: bigint[]) => ({
    ...batch,
    blocks: blocks.slice(0, origins.length).map((b, i) => ({ ...b, l1Origin: origins[i]! })),
  })

  test('blocks with origins are written as version 2 and read back with them', () => {
    const channel = encodeBatch(withOrigins([7n, 7n, 9n]))
    expect(channel[0]).toBe(2)
    expect(decodeBatch(channel).blocks.map((b) => b.l1Origin)).toEqual([7n, 7n, 9n])
  })

  test('blocks without origins stay version 1 and decode without them', () => {
    const channel = encodeBatch(batch)
    expect(channel[0]).toBe(1)
    expect(decodeBatch(channel).blocks.every((b) => !('l1Origin' in b))).toBe(true)
  })

  test('refuses an origin going back, and a batch where only some blocks have one', () => {
    expect(() => encodeBatch(withOrigins([9n, 8n]))).toThrow(/L1 origin goes backwards/)
    const mixed = { ...batch, blocks: [{ ...blocks[0]!, l1Origin: 1n }, blocks[1]!] }
    expect(() => encodeBatch(mixed)).toThrow(BatchDecodeError)
  })

  test('a version-1 channel relabelled version 2 does not decode (the origin column is missing)', () => {
    const channel = encodeBatch({ ...batch, blocks: blocks.slice(0, 2) })
    channel[0] = 2
    expect(() => decodeBatch(channel)).toThrow(BatchDecodeError)
  })
})
