/** Storage encodings (RLP) for blocks, receipts and pointers. */
import { RLP } from '@ethereumjs/rlp'
import { type Address, bytesToBigInt, bytesToHex, type Hex, hexToBytes, numberToBytes } from 'viem'
import type { RollupHeader, SealedBlock, StoredLog, StoredReceipt } from './types.ts'

type Nested = Uint8Array | Nested[]

const big = (b: Uint8Array) => (b.length === 0 ? 0n : bytesToBigInt(b))
const num = (n: bigint) => (n === 0n ? new Uint8Array() : numberToBytes(n))
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

/** Standard Ethereum block RLP: [header, transactions, ommers, withdrawals]. */
export function encodeBlock(block: SealedBlock): Uint8Array {
  const txs: Nested[] = block.transactions.map((raw) =>
    (raw[0] as number) >= 0xc0 ? (RLP.decode(raw) as Nested) : raw,
  )
  return RLP.encode([RLP.decode(block.headerRlp) as Nested, txs, [], []])
}

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
  return RLP.encode(
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
