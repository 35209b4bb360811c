/**
 * The channel: one batch as bytes (SPEC.md "Channel"). Compressible columns are deflated;
 * signatures (random, incompressible) follow raw so the compressor never wastes effort on them.
 *
 *   channel := version (0x01, or 0x02 with an L1 origin per block) | 0x01 (deflate-raw) | varint bodyLen | varint zLen | deflate(body)
 *              | varint sigCount | (r ++ s) * sigCount | yParity bits (ceil(sigCount / 8) bytes, LSB first)
 */
import { deflateSync, inflateSync } from 'fflate'
import { hexToBytes } from 'viem'
import { BatchDecodeError } from '../errors.ts'
import type { Batch, BatchBlock } from '../types.ts'
import { ByteReader, ByteWriter } from './bytes.ts'
import { type OnColumnarTx, readTxColumns, type Signature, TxColumns } from './columns.ts'
import { bytesToHex } from './hex.ts'

/** Version 1: blocks without an L1 origin (chains without a bridge). */
export const CHANNEL_VERSION_V1 = 1
/** Version 2: every block carries its L1 origin (SPEC.md §2.1, §10.2). */
export const CHANNEL_VERSION = 2
export const COMPRESSION_DEFLATE = 1
/** Upper bound on a decompressed body: a defence against decompression bombs. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024
/** Decoder caps on the body's counts (blocks, txs per block, dictionary entries): a count above is invalid. */
export const MAX_BLOCKS_PER_CHANNEL = 1_000_000
export const MAX_TXS_PER_BLOCK = 1_000_000
export const MAX_DICTIONARY_SIZE = 1_000_000

/** The channel version a batch is written in: 2 when its blocks carry L1 origins (all or none). */
export function channelVersion(batch: Batch): number {
  const withOrigin = batch.blocks.filter((b) => b.l1Origin !== undefined).length
  if (withOrigin !== 0 && withOrigin !== batch.blocks.length)
    throw new BatchDecodeError('either every block of a batch has an L1 origin or none has')
  return withOrigin === 0 ? CHANNEL_VERSION_V1 : CHANNEL_VERSION
}

export function encodeBody(batch: Batch): { body: Uint8Array; signatures: Signature[] } {
  const w = new ByteWriter()
  const { blocks } = batch
  if (blocks.length === 0) throw new BatchDecodeError('a batch holds at least one block')
  const version = channelVersion(batch)
  w.varint(batch.chainId)
  w.bytes(hexToBytes(batch.parentHash))
  w.varint(blocks[0]!.number)
  w.varint(blocks.length)
  w.varint(blocks[0]!.timestamp)
  for (let i = 1; i < blocks.length; i++) {
    const delta = blocks[i]!.timestamp - blocks[i - 1]!.timestamp
    if (delta < 0n) throw new BatchDecodeError(`block ${blocks[i]!.number}: timestamp goes backwards`)
    if (blocks[i]!.number !== blocks[i - 1]!.number + 1n) {
      throw new BatchDecodeError(`block ${blocks[i]!.number}: numbers are not contiguous`)
    }
    w.varint(delta)
  }
  if (version === CHANNEL_VERSION) writeOrigins(w, blocks)
  for (const b of blocks) w.varint(b.transactions.length)
  const cols = new TxColumns(batch.chainId)
  for (const b of blocks) for (const tx of b.transactions) cols.add(tx)
  w.varint(cols.addresses.length)
  for (const a of cols.addresses) w.bytes(a)
  w.varint(cols.feePairs.length)
  for (const [a, b] of cols.feePairs) {
    w.varint(a)
    w.varint(b)
  }
  for (const c of [
    cols.kinds,
    cols.fees,
    cols.nonces,
    cols.gas,
    cols.to,
    cols.values,
    cols.data,
    cols.erc20To,
    cols.erc20Amounts,
    cols.raw,
  ]) {
    w.bytes(c.finish())
  }
  return { body: w.finish(), signatures: cols.signatures }
}

export function encodeBatch(batch: Batch, level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 9): Uint8Array {
  const { body, signatures } = encodeBody(batch)
  const z = deflateSync(body, { level, mem: 12 })
  const w = new ByteWriter()
  w.u8(channelVersion(batch))
  w.u8(COMPRESSION_DEFLATE)
  w.varint(body.length)
  w.varint(z.length)
  w.bytes(z)
  w.varint(signatures.length)
  const parity = new Uint8Array(Math.ceil(signatures.length / 8))
  signatures.forEach(({ r, s, yParity }, i) => {
    w.bytes(r)
    w.bytes(s)
    if (yParity) parity[i >> 3]! |= 1 << (i & 7)
  })
  w.bytes(parity)
  return w.finish()
}

/**
 * `onTx` receives each columnar tx's signing payload and signature (sender recovery without re-parsing).
 * `withBytes`: each block also carries its transactions as the bytes they were rebuilt into (`encoded`), so
 * an executor decodes them without a hex round trip.
 */
export function decodeBatch(channel: Uint8Array, onTx?: OnColumnarTx, { withBytes = false } = {}): Batch {
  const r = new ByteReader(channel, 'channel')
  const version = r.u8()
  if (version !== CHANNEL_VERSION && version !== CHANNEL_VERSION_V1)
    throw new BatchDecodeError(`unknown channel version ${version}`)
  const compression = r.u8()
  if (compression !== COMPRESSION_DEFLATE) throw new BatchDecodeError(`unknown compression ${compression}`)
  const bodyLength = r.count(MAX_BODY_BYTES)
  const z = r.bytes(r.count(channel.length))
  let body: Uint8Array
  try {
    body = inflateSync(z, { out: new Uint8Array(bodyLength) })
  } catch (e) {
    throw new BatchDecodeError('channel body does not inflate', (e as Error).message)
  }
  if (body.length !== bodyLength) throw new BatchDecodeError('channel body length mismatch')
  const sigCount = r.count(channel.length)
  const sigStart = r.offset
  const parityStart = sigStart + sigCount * 64
  if (parityStart + Math.ceil(sigCount / 8) !== channel.length) {
    throw new BatchDecodeError('channel length does not match its signature count')
  }
  const b = new ByteReader(body, 'batch body')
  const chainId = b.varint()
  const parentHash = bytesToHex(b.bytes(32))
  let number = b.varint()
  const blockCount = b.count(MAX_BLOCKS_PER_CHANNEL)
  if (blockCount === 0) throw new BatchDecodeError('a batch holds at least one block')
  const timestamps = [b.varint()]
  for (let i = 1; i < blockCount; i++) timestamps.push(timestamps[i - 1]! + b.varint())
  const origins = version === CHANNEL_VERSION ? readOrigins(b, blockCount) : undefined
  const txCounts: number[] = []
  let total = 0
  for (let i = 0; i < blockCount; i++) {
    txCounts.push(b.count(MAX_TXS_PER_BLOCK))
    total += txCounts[i]!
  }
  const addresses: Uint8Array[] = []
  for (let i = b.count(MAX_DICTIONARY_SIZE); i > 0; i--) addresses.push(b.bytes(20))
  const feePairs: [bigint, bigint][] = []
  for (let i = b.count(MAX_DICTIONARY_SIZE); i > 0; i--) feePairs.push([b.varint(), b.varint()])

  let i = 0
  const txs = readTxColumns(
    b,
    total,
    chainId,
    addresses,
    feePairs,
    (): Signature => {
      if (i >= sigCount) throw new BatchDecodeError('channel has fewer signatures than transactions')
      const o = sigStart + i * 64
      const yParity = (channel[parityStart + (i >> 3)]! >> (i & 7)) & 1
      i++
      return { r: channel.subarray(o, o + 32), s: channel.subarray(o + 32, o + 64), yParity }
    },
    onTx,
  )
  if (b.remaining !== 0) throw new BatchDecodeError(`batch body has ${b.remaining} trailing bytes`)
  if (i !== sigCount) throw new BatchDecodeError('channel has more signatures than transactions')
  if (sigCount % 8 && channel[channel.length - 1]! >> (sigCount % 8)) {
    throw new BatchDecodeError('channel parity padding bits are not zero')
  }
  const blocks: BatchBlock[] = []
  let k = 0
  for (let i = 0; i < blockCount; i++) {
    const encoded = txs.slice(k, k + txCounts[i]!)
    const transactions = encoded.map((tx) => bytesToHex(tx))
    const block: BatchBlock = origins
      ? { number, timestamp: timestamps[i]!, l1Origin: origins[i]!, transactions }
      : { number, timestamp: timestamps[i]!, transactions }
    if (withBytes) block.encoded = encoded
    blocks.push(block)
    k += txCounts[i]!
    number++
  }
  return { chainId, parentHash, blocks }
}

/** `varint firstOrigin || varint originDelta * (blockCount − 1)`: origins never go back (§10.2). */
function writeOrigins(w: ByteWriter, blocks: readonly BatchBlock[]) {
  w.varint(blocks[0]!.l1Origin!)
  for (let i = 1; i < blocks.length; i++) {
    const delta = blocks[i]!.l1Origin! - blocks[i - 1]!.l1Origin!
    if (delta < 0n) throw new BatchDecodeError(`block ${blocks[i]!.number}: L1 origin goes backwards`)
    w.varint(delta)
  }
}

function readOrigins(b: ByteReader, blockCount: number): bigint[] {
  const origins = [b.varint()]
  for (let i = 1; i < blockCount; i++) origins.push(origins[i - 1]! + b.varint())
  return origins
}
