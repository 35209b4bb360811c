/** Storage encodings (RLP) for blocks, receipts and pointers. */
import { RLP } from '@ethereumjs/rlp'
import { type Address, bytesToBigInt, bytesToHex, type Hex, hexToBytes, numberToBytes } from 'viem'
import { headerSize, lengthPrefix } from './ordered-trie.ts'
import type { RollupHeader, SealedBlock, StoredLog, StoredReceipt } from './types.ts'

type Nested = Uint8Array | Nested[]

const big = (b: Uint8Array) => (b.length === 0 ? 0n : bytesToBigInt(b))
/** Minimal big-endian bytes (RLP's integers); small ones without viem's hex round trip. */
function num(n: bigint): Uint8Array {
  if (n === 0n) return new Uint8Array()
  if (n > 0xffff_ffff_ffffn) return numberToBytes(n)
  let v = Number(n)
  let length = 0
  for (let x = v; x > 0; x = Math.floor(x / 256)) length++
  const out = new Uint8Array(length)
  for (let i = length - 1; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v % 256
  return out
}
const hx = (b: Uint8Array) => bytesToHex(b)

/** Ethereum header field order (Prague). */
export function headerToFields(h: RollupHeader): Uint8Array[] {
  return [
    hexToBytes(h.parentHash),
    hexToBytes('0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347'), // ommersHash
    hexToBytes(h.miner),
    hexToBytes(h.stateRoot),
    hexToBytes(h.transactionsRoot),
    hexToBytes(h.receiptsRoot),
    hexToBytes(h.logsBloom),
    new Uint8Array(), // difficulty 0
    num(h.number),
    num(h.gasLimit),
    num(h.gasUsed),
    num(h.timestamp),
    hexToBytes(h.extraData),
    hexToBytes(h.mixHash),
    new Uint8Array(8), // nonce
    num(h.baseFeePerGas),
    hexToBytes(h.withdrawalsRoot),
    num(h.blobGasUsed),
    num(h.excessBlobGas),
    hexToBytes(h.parentBeaconBlockRoot),
    hexToBytes(h.requestsHash),
  ]
}

export function headerFromFields(f: Uint8Array[]): RollupHeader {
  const at = (i: number) => f[i] as Uint8Array
  return {
    parentHash: hx(at(0)),
    miner: hx(at(2)) as Address,
    stateRoot: hx(at(3)),
    transactionsRoot: hx(at(4)),
    receiptsRoot: hx(at(5)),
    logsBloom: hx(at(6)),
    number: big(at(8)),
    gasLimit: big(at(9)),
    gasUsed: big(at(10)),
    timestamp: big(at(11)),
    extraData: hx(at(12)),
    mixHash: hx(at(13)),
    baseFeePerGas: big(at(15)),
    withdrawalsRoot: hx(at(16)),
    blobGasUsed: big(at(17)),
    excessBlobGas: big(at(18)),
    parentBeaconBlockRoot: hx(at(19)),
    requestsHash: hx(at(20)),
  }
}

/**
 * Standard Ethereum block RLP: [header, transactions, ommers, withdrawals], written into one buffer
 * from parts already encoded: the header's RLP, and each tx's raw bytes (a legacy tx is its own RLP
 * list, a typed one goes in as a byte string). Decoding them to encode them again allocated a copy
 * of every field at each seal; the bytes are the same (the raw txs passed decoding, so their RLP is
 * canonical).
 */
export function encodeBlock(block: SealedBlock): Uint8Array {
  let txsBody = 0
  for (const raw of block.transactions) txsBody += isList(raw) ? raw.length : stringSize(raw)
  const body = block.headerRlp.length + headerSize(txsBody) + txsBody + 2
  const out = new Uint8Array(headerSize(body) + body)
  let at = lengthPrefix(out, 0, body, 0xc0)
  out.set(block.headerRlp, at)
  at = lengthPrefix(out, at + block.headerRlp.length, txsBody, 0xc0)
  for (const raw of block.transactions) {
    if (!isList(raw)) {
      if (raw.length === 1 && (raw[0] as number) < 0x80) {
        out[at++] = raw[0] as number
        continue
      }
      at = lengthPrefix(out, at, raw.length, 0x80)
    }
    out.set(raw, at)
    at += raw.length
  }
  out[at++] = 0xc0 // no ommers
  out[at] = 0xc0 // no withdrawals
  return out
}

const isList = (raw: Uint8Array) => (raw[0] as number) >= 0xc0
const stringSize = (raw: Uint8Array) =>
  raw.length === 1 && (raw[0] as number) < 0x80 ? 1 : headerSize(raw.length) + raw.length

export function decodeBlock(bytes: Uint8Array, keccak256: (b: Uint8Array) => Uint8Array): SealedBlock {
  const [headerFields, txs] = RLP.decode(bytes) as [Uint8Array[], Nested[]]
  const headerRlp = RLP.encode(headerFields)
  const transactions = txs.map((t) => (t instanceof Uint8Array ? t : RLP.encode(t)))
  return {
    hash: hx(keccak256(headerRlp)),
    header: headerFromFields(headerFields),
    headerRlp,
    transactions,
    transactionHashes: transactions.map((t) => hx(keccak256(t))),
  }
}

const ZERO_BLOOM = new Uint8Array(256)

export function encodeReceipts(receipts: readonly StoredReceipt[]): Uint8Array {
  return encodeRlp(
    receipts.map((r) => [
      num(BigInt(r.status)),
      num(r.cumulativeGasUsed),
      num(r.gasUsed),
      num(r.effectiveGasPrice),
      hexToBytes(r.from),
      r.contractAddress ? hexToBytes(r.contractAddress) : new Uint8Array(),
      r.logs.map((l) => [hexToBytes(l.address), l.topics.map((t) => hexToBytes(t)), hexToBytes(l.data)]),
      // No logs, zero bloom (most receipts): skip decoding 256 bytes of hex.
      r.logs.length === 0 ? ZERO_BLOOM : hexToBytes(r.logsBloom),
    ]),
  )
}

/**
 * RLP in one buffer: sizes first, then each item written in place. The generic encoder allocates
 * and concatenates at every level (a block's receipts were ~3% of the Worker's time).
 */
export function encodeRlp(item: Nested): Uint8Array {
  const out = new Uint8Array(encodedSize(item))
  writeRlp(out, 0, item)
  return out
}

function encodedSize(item: Nested): number {
  if (item instanceof Uint8Array)
    return item.length === 1 && (item[0] as number) < 0x80 ? 1 : headerSize(item.length) + item.length
  const payload = payloadSize(item)
  return headerSize(payload) + payload
}

function payloadSize(items: Nested[]): number {
  let size = 0
  for (const item of items) size += encodedSize(item)
  return size
}

function writeRlp(out: Uint8Array, at: number, item: Nested): number {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && (item[0] as number) < 0x80) {
      out[at] = item[0] as number
      return at + 1
    }
    at = lengthPrefix(out, at, item.length, 0x80)
    out.set(item, at)
    return at + item.length
  }
  at = lengthPrefix(out, at, payloadSize(item), 0xc0)
  for (const child of item) at = writeRlp(out, at, child)
  return at
}

export function decodeReceipts(bytes: Uint8Array): StoredReceipt[] {
  return (RLP.decode(bytes) as Nested[][]).map((r) => {
    const f = r as Uint8Array[]
    const contract = f[5] as Uint8Array
    return {
      status: Number(big(f[0] as Uint8Array)) as 0 | 1,
      cumulativeGasUsed: big(f[1] as Uint8Array),
      gasUsed: big(f[2] as Uint8Array),
      effectiveGasPrice: big(f[3] as Uint8Array),
      from: hx(f[4] as Uint8Array) as Address,
      contractAddress: contract.length === 0 ? null : (hx(contract) as Address),
      logs: (r[6] as Uint8Array[][]).map(
        (l): StoredLog => ({
          address: hx(l[0] as Uint8Array),
          topics: (l[1] as unknown as Uint8Array[]).map(hx),
          data: hx(l[2] as Uint8Array),
        }),
      ),
      logsBloom: hx(f[7] as Uint8Array),
    }
  })
}

export function encodeTxLocation(blockNumber: bigint, index: number): Uint8Array {
  return RLP.encode([num(blockNumber), num(BigInt(index))])
}

export function decodeTxLocation(bytes: Uint8Array): { blockNumber: bigint; index: number } {
  const [n, i] = RLP.decode(bytes) as Uint8Array[]
  return { blockNumber: big(n as Uint8Array), index: Number(big(i as Uint8Array)) }
}

export const encodeNumber = (n: bigint) => RLP.encode(num(n))
export const decodeNumber = (b: Uint8Array) => big(RLP.decode(b) as Uint8Array)

/** KV key layout. Block numbers are zero-padded hex so keys sort by height. */
export const keys = {
  head: 'head',
  chainConfig: 'config',
  block: (n: bigint) => `b:${n.toString(16).padStart(16, '0')}`,
  receipts: (n: bigint) => `r:${n.toString(16).padStart(16, '0')}`,
  blockHash: (hash: Hex) => `H:${hash.slice(2)}`,
  tx: (hash: Hex) => `t:${hash.slice(2)}`,
}

/** Trie nodes' prefix (state/trie-db.ts): here so storage can tell chain records by key. */
export const TRIE_NODE_PREFIX = 'n:'

/**
 * The records a sealed block adds and nothing rewrites (a replica's reorg deletes some): trie
 * nodes, blocks, receipts, block-hash and tx indexes. Not the head, the config or anything else.
 */
export function isChainRecordKey(key: string): boolean {
  const prefix = key.slice(0, 2)
  return prefix === TRIE_NODE_PREFIX || prefix === 'b:' || prefix === 'r:' || prefix === 'H:' || prefix === 't:'
}
