/**
 * The columnar transaction layout (SPEC.md "Batch body"): each field of every transaction
 * goes to its own column so that the compressor sees long runs of alike bytes, and anything
 * derivable (chain id, tx type, 21000 gas, repeated fees and recipients) is not stored at all.
 * Signatures are not here: they are incompressible and travel uncompressed (see channel.ts).
 */

import {
  bytesToHex,
  type Hex,
  hexToBytes,
  pad,
  parseTransaction,
  serializeTransaction,
  type TransactionSerializable,
} from 'viem'
import { BatchDecodeError } from '../errors.ts'
import { type ByteReader, ByteWriter } from './bytes.ts'
import { EMPTY_LIST, rlpList } from './rlp-list.ts'

/** Low two bits of the kind byte. */
export const FORM_1559 = 0
export const FORM_LEGACY = 1
/** Any other transaction (access list, 7702, pre-EIP-155...): stored whole, signature included. */
export const FORM_RAW = 2
export const FLAG_GAS = 1 << 2
export const FLAG_CREATE = 1 << 3
export const FLAG_DATA = 1 << 4
export const FLAG_VALUE = 1 << 5
/** Calldata is `transfer(address,uint256)`: stored as a recipient index + decimal amount. */
export const FLAG_ERC20 = 1 << 6
const ERC20_TRANSFER = Uint8Array.of(0xa9, 0x05, 0x9c, 0xbb)

/** The recipient and amount of canonical `transfer(address,uint256)` calldata, else undefined. */
function erc20Transfer(data: Uint8Array): { to: Uint8Array; amount: bigint } | undefined {
  if (data.length !== 68) return undefined
  for (let i = 0; i < 4; i++) if (data[i] !== ERC20_TRANSFER[i]) return undefined
  for (let i = 4; i < 16; i++) if (data[i] !== 0) return undefined
  return { to: data.subarray(16, 36), amount: BigInt(bytesToHex(data.subarray(36, 68))) }
}
export const DEFAULT_GAS = 21_000n

export type Signature = { r: Uint8Array; s: Uint8Array; yParity: number }

/** Column writers, filled transaction by transaction, concatenated in this order. */
export class TxColumns {
  kinds = new ByteWriter()
  fees = new ByteWriter()
  nonces = new ByteWriter()
  gas = new ByteWriter()
  to = new ByteWriter()
  values = new ByteWriter()
  data = new ByteWriter()
  erc20To = new ByteWriter()
  erc20Amounts = new ByteWriter()
  raw = new ByteWriter()
  /** Signatures of non-raw txs, in order. */
  signatures: Signature[] = []
  private addressIndex = new Map<string, number>()
  addresses: Uint8Array[] = []
  private feeIndex = new Map<string, number>()
  feePairs: [bigint, bigint][] = []

  constructor(readonly chainId: bigint) {}

  private address(to: Hex | Uint8Array): number {
    if (typeof to !== 'string') to = bytesToHex(to)
    const key = to.toLowerCase()
    let i = this.addressIndex.get(key)
    if (i === undefined) {
      i = this.addresses.length
      this.addressIndex.set(key, i)
      this.addresses.push(hexToBytes(to))
    }
    return i
  }

  private fee(a: bigint, b: bigint): number {
    const key = `${a}:${b}`
    let i = this.feeIndex.get(key)
    if (i === undefined) {
      i = this.feePairs.length
      this.feeIndex.set(key, i)
      this.feePairs.push([a, b])
    }
    return i
  }

  add(raw: Hex) {
    const tx = parseColumnar(raw, this.chainId)
    if (!tx) {
      const bytes = hexToBytes(raw)
      this.kinds.u8(FORM_RAW)
      this.raw.varint(bytes.length)
      this.raw.bytes(bytes)
      return
    }
    const legacy = tx.type === 'legacy'
    let kind = legacy ? FORM_LEGACY : FORM_1559
    const gas = tx.gas ?? 0n
    if (gas !== DEFAULT_GAS) kind |= FLAG_GAS
    if (!tx.to) kind |= FLAG_CREATE
    let data = tx.data && tx.data !== '0x' ? hexToBytes(tx.data) : undefined
    const erc20 = data && tx.to ? erc20Transfer(data) : undefined
    if (erc20) {
      kind |= FLAG_ERC20
      data = undefined
    }
    if (data) kind |= FLAG_DATA
    const value = tx.value ?? 0n
    if (value !== 0n) kind |= FLAG_VALUE
    this.kinds.u8(kind)
    const fee = legacy
      ? this.fee(tx.gasPrice ?? 0n, 0n)
      : this.fee(tx.maxFeePerGas ?? 0n, tx.maxPriorityFeePerGas ?? 0n)
    this.fees.varint(fee)
    this.nonces.varint(tx.nonce ?? 0)
    if (kind & FLAG_GAS) this.gas.varint(gas)
    if (tx.to) this.to.varint(this.address(tx.to))
    if (value !== 0n) writeDecimal(this.values, value)
    if (data) {
      this.data.varint(data.length)
      this.data.bytes(data)
    }
    if (erc20) {
      this.erc20To.varint(this.address(erc20.to))
      writeDecimal(this.erc20Amounts, erc20.amount)
    }
    const yParity = legacy ? Number(tx.v! - BigInt(tx.chainId!) * 2n - 35n) : tx.yParity!
    this.signatures.push({ r: hexToBytes(pad(tx.r!)), s: hexToBytes(pad(tx.s!)), yParity })
  }
}

type Parsed = ReturnType<typeof parseTransaction>
/**
 * Parsed form of txs that fit a columnar form (undefined: RAW). Cached because the batch policy
 * encodes the same pending txs several times while it searches for the largest batch that fits.
 */
const parsedCache = new Map<string, Parsed | null>()
function parseColumnar(raw: Hex, chainId: bigint): Parsed | undefined {
  const key = `${chainId}:${raw}`
  let tx = parsedCache.get(key)
  if (tx === undefined) {
    const parsed = parseTransaction(raw)
    const columnar =
      parsed.r !== undefined &&
      parsed.s !== undefined &&
      ((parsed.type === 'eip1559' && parsed.chainId === Number(chainId) && !parsed.accessList?.length) ||
        (parsed.type === 'legacy' && parsed.chainId === Number(chainId)))
    // Only if the columns rebuild the exact same bytes (canonical encoding) — else tx hashes would change.
    tx = columnar && serializeTransaction(parsed as TransactionSerializable, sig(parsed)) === raw ? parsed : null
    if (parsedCache.size >= 30_000) parsedCache.clear()
    parsedCache.set(key, tx)
  }
  return tx ?? undefined
}

function sig(tx: { r?: Hex; s?: Hex; v?: bigint; yParity?: number }) {
  return { r: tx.r!, s: tx.s!, v: tx.v, yParity: tx.yParity } as Parameters<typeof serializeTransaction>[1]
}

/** value = mantissa * 10^exponent with the largest exponent: wallets use round amounts. */
function writeDecimal(w: ByteWriter, value: bigint) {
  let exponent = 0
  while (value % 10n === 0n && exponent < 255) {
    value /= 10n
    exponent++
  }
  w.u8(exponent)
  w.varint(value)
}

function readDecimal(r: ByteReader): bigint {
  const exponent = r.u8()
  return r.varint() * 10n ** BigInt(exponent)
}

/** Called for each columnar tx with what sender recovery needs, so verifiers never re-parse. */
export type OnColumnarTx = (signingPayload: Uint8Array, signature: Signature, index: number) => void

/** Minimal big-endian bytes of a non-negative integer (RLP's integer form). */
function intBytes(v: bigint | number): Uint8Array {
  // Below 2^48 (nonces, gas, most fees and values) as a number: no hex string per field.
  if (typeof v === 'bigint' && v < 0x1000000000000n) v = Number(v)
  if (typeof v === 'number') {
    if (v === 0) return EMPTY
    if (v < 0x1000000000000) {
      let size = 0
      for (let n = v; n > 0; n = Math.floor(n / 256)) size++
      const out = new Uint8Array(size)
      for (let i = size - 1, n = v; i >= 0; i--, n = Math.floor(n / 256)) out[i] = n % 256
      return out
    }
    v = BigInt(v)
  }
  if (v === 0n) return EMPTY
  let hex = v.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  return hexToBytes(`0x${hex}`)
}
const EMPTY = new Uint8Array(0)
const trimZeros = (b: Uint8Array) => {
  let i = 0
  while (i < b.length && b[i] === 0) i++
  return b.subarray(i)
}

/**
 * Reads the columns back into serialized txs. Serialization is plain canonical RLP (the encoder
 * only chose a columnar form when viem's serialization of the same fields gave the original bytes).
 */
export function readTxColumns(
  body: ByteReader,
  count: number,
  chainId: bigint,
  addresses: Uint8Array[],
  feePairs: [bigint, bigint][],
  nextSignature: () => Signature,
  onTx?: OnColumnarTx,
): Uint8Array[] {
  const kinds = body.bytes(count)
  // Column readers run side by side: the counts of each are known only through the kinds column.
  const cols = { fees: [] as number[], nonces: [] as bigint[], gas: [] as bigint[], to: [] as number[] }
  let columnar = 0
  for (const k of kinds) if ((k & 3) !== FORM_RAW) columnar++
  for (let i = 0; i < columnar; i++) cols.fees.push(body.count())
  for (let i = 0; i < columnar; i++) cols.nonces.push(body.varint())
  for (const k of kinds) if ((k & 3) !== FORM_RAW && k & FLAG_GAS) cols.gas.push(body.varint())
  for (const k of kinds) if ((k & 3) !== FORM_RAW && !(k & FLAG_CREATE)) cols.to.push(body.count())
  const values: bigint[] = []
  for (const k of kinds) if ((k & 3) !== FORM_RAW && k & FLAG_VALUE) values.push(readDecimal(body))
  const datas: Uint8Array[] = []
  for (const k of kinds) if ((k & 3) !== FORM_RAW && k & FLAG_DATA) datas.push(body.bytes(body.count()))
  const erc20To: number[] = []
  for (const k of kinds) if ((k & 3) !== FORM_RAW && k & FLAG_ERC20) erc20To.push(body.count())
  const erc20Amounts: bigint[] = []
  for (const k of kinds) if ((k & 3) !== FORM_RAW && k & FLAG_ERC20) erc20Amounts.push(readDecimal(body))
  let e = 0
  const out: Uint8Array[] = []
  let [c, g, t, v, d] = [0, 0, 0, 0, 0]
  const chain = intBytes(chainId)
  for (const [index, k] of kinds.entries()) {
    const form = k & 3
    if (form === FORM_RAW) {
      out.push(body.bytes(body.count()).slice()) // its own copy: a kept tx must not hold the whole body
      continue
    }
    if (form !== FORM_1559 && form !== FORM_LEGACY) throw new BatchDecodeError(`unknown tx form ${form}`)
    if (k >> 7) throw new BatchDecodeError(`unknown tx flags ${k}`)
    if (k & FLAG_ERC20 && (k & FLAG_DATA || k & FLAG_CREATE)) throw new BatchDecodeError(`bad tx flags ${k}`)
    const pair = feePairs[cols.fees[c]!]
    if (!pair) throw new BatchDecodeError(`fee index ${cols.fees[c]} out of range`)
    let to: Uint8Array = EMPTY
    if (!(k & FLAG_CREATE)) {
      const a = addresses[cols.to[t++]!]
      if (!a) throw new BatchDecodeError(`address index ${cols.to[t - 1]} out of range`)
      to = a
    }
    const nonce = intBytes(cols.nonces[c]!)
    const gas = intBytes(k & FLAG_GAS ? cols.gas[g++]! : DEFAULT_GAS)
    const value = intBytes(k & FLAG_VALUE ? values[v++]! : 0n)
    let data: Uint8Array = k & FLAG_DATA ? datas[d++]! : EMPTY
    if (k & FLAG_ERC20) {
      const recipient = addresses[erc20To[e]!]
      if (!recipient) throw new BatchDecodeError(`address index ${erc20To[e]} out of range`)
      const amount = erc20Amounts[e++]!
      if (amount >= 2n ** 256n) throw new BatchDecodeError('ERC-20 amount above uint256')
      data = new Uint8Array(68)
      data.set(ERC20_TRANSFER, 0)
      data.set(recipient, 16)
      data.set(hexToBytes(`0x${amount.toString(16).padStart(64, '0')}`), 36)
    }
    const signature = nextSignature()
    const r = trimZeros(signature.r)
    const s = trimZeros(signature.s)
    let signed: Uint8Array
    let unsigned: Uint8Array | undefined
    if (form === FORM_1559) {
      const fields = [chain, nonce, intBytes(pair[1]), intBytes(pair[0]), gas, to, value, data, EMPTY_LIST]
      signed = rlpList([...fields, intBytes(signature.yParity), r, s], 2)
      if (onTx) unsigned = rlpList(fields, 2)
    } else {
      const fields = [nonce, intBytes(pair[0]), gas, to, value, data]
      const v155 = intBytes(chainId * 2n + 35n + BigInt(signature.yParity))
      signed = rlpList([...fields, v155, r, s])
      if (onTx) unsigned = rlpList([...fields, chain, EMPTY, EMPTY])
    }
    if (onTx) onTx(unsigned!, signature, index)
    out.push(signed)
    c++
  }
  return out
}
