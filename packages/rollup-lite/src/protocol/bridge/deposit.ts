/**
 * Deposits (SPEC.md §10.1): the L1 portal's `TransactionDeposited` log, the deposit it describes,
 * and the OP Stack `0x7E` deposit transaction derivation puts on L2 for it (encode, decode, hash,
 * `sourceHash` in the user-deposit domain).
 */
import {
  type Address,
  concat,
  decodeEventLog,
  fromRlp,
  getAddress,
  type Hex,
  hexToBigInt,
  hexToBool,
  isAddress,
  keccak256,
  numberToHex,
  parseAbi,
  size,
  slice,
  toRlp,
} from 'viem'
import { DepositDecodeError } from './errors.ts'

export const DEPOSIT_TX_TYPE = 0x7e
/** `sourceHash` domain of user deposits (OP's 0; 1 is its L1-info deposits, which Seed does not have). */
export const USER_DEPOSIT_SOURCE_DOMAIN = 0n

export const portalEventsAbi = parseAbi([
  'event TransactionDeposited(address indexed inbox, address indexed from, address indexed to, uint256 nonce, bytes opaqueData)',
])

/** A deposit as the portal logged it (`from` already aliased by the portal for a contract caller). */
export type Deposit = {
  inbox: Address
  from: Address
  to: Address
  /** Counts the inbox's deposits from 0. */
  nonce: bigint
  mint: bigint
  value: bigint
  gasLimit: bigint
  isCreation: boolean
  data: Hex
  /** Where the log is on L1: names the deposit (sourceHash) and orders it. */
  l1BlockHash: Hex
  l1BlockNumber: bigint
  logIndex: number
}

export type DepositLog = {
  topics: readonly Hex[]
  data: Hex
  blockHash: Hex
  blockNumber: bigint
  logIndex: number
}

/** opaqueData = abi.encodePacked(uint256 mint, uint256 value, uint64 gasLimit, bool isCreation, bytes data). */
const OPAQUE_HEAD = 32 + 32 + 8 + 1

export function decodeDepositLog(log: DepositLog): Deposit {
  let args: { inbox: Address; from: Address; to: Address; nonce: bigint; opaqueData: Hex }
  try {
    ;({ args } = decodeEventLog({
      abi: portalEventsAbi,
      eventName: 'TransactionDeposited',
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
      strict: true,
    }))
  } catch (e) {
    throw new DepositDecodeError(`not a TransactionDeposited log: ${(e as Error).message}`)
  }
  const opaque = args.opaqueData
  if (size(opaque) < OPAQUE_HEAD)
    throw new DepositDecodeError(`opaqueData is ${size(opaque)} bytes, at least ${OPAQUE_HEAD}`)
  const creation = slice(opaque, 72, 73)
  if (creation !== '0x00' && creation !== '0x01') throw new DepositDecodeError(`isCreation byte is ${creation}`)
  return {
    inbox: args.inbox,
    from: args.from,
    to: args.to,
    nonce: args.nonce,
    mint: hexToBigInt(slice(opaque, 0, 32)),
    value: hexToBigInt(slice(opaque, 32, 64)),
    gasLimit: hexToBigInt(slice(opaque, 64, 72)),
    isCreation: creation === '0x01',
    data: size(opaque) === OPAQUE_HEAD ? '0x' : slice(opaque, OPAQUE_HEAD),
    l1BlockHash: log.blockHash,
    l1BlockNumber: log.blockNumber,
    logIndex: log.logIndex,
  }
}

/** keccak256(bytes32(domain 0) || keccak256(l1BlockHash || bytes32(logIndex))): unique per L1 log. */
export function depositSourceHash(l1BlockHash: Hex, logIndex: number | bigint): Hex {
  const depositId = keccak256(concat([l1BlockHash, numberToHex(BigInt(logIndex), { size: 32 })]))
  return keccak256(concat([numberToHex(USER_DEPOSIT_SOURCE_DOMAIN, { size: 32 }), depositId]))
}

/** The L2 transaction of a deposit: no signature, no fee; mints `mint` to `from`, then calls. */
export type DepositTransaction = {
  sourceHash: Hex
  from: Address
  /** null: a contract creation. */
  to: Address | null
  mint: bigint
  value: bigint
  gas: bigint
  isSystemTx: boolean
  data: Hex
}

export function depositTransaction(d: Deposit): DepositTransaction {
  return {
    sourceHash: depositSourceHash(d.l1BlockHash, d.logIndex),
    from: d.from,
    to: d.isCreation ? null : d.to,
    mint: d.mint,
    value: d.value,
    gas: d.gasLimit,
    isSystemTx: false,
    data: d.data,
  }
}

/** RLP quantities: minimal big-endian, zero as the empty string. */
const quantity = (n: bigint): Hex => (n === 0n ? '0x' : numberToHex(n))

/** 0x7E || rlp([sourceHash, from, to, mint, value, gas, isSystemTx, data]). */
export function serializeDepositTransaction(tx: DepositTransaction): Hex {
  return concat([
    numberToHex(DEPOSIT_TX_TYPE, { size: 1 }),
    toRlp([
      tx.sourceHash,
      tx.from,
      tx.to ?? '0x',
      quantity(tx.mint),
      quantity(tx.value),
      quantity(tx.gas),
      tx.isSystemTx ? '0x01' : '0x',
      tx.data,
    ]),
  ])
}

/** The inverse of serializeDepositTransaction; only the canonical encoding is accepted. */
export function parseDepositTransaction(serialized: Hex): DepositTransaction {
  if (size(serialized) < 2 || slice(serialized, 0, 1) !== '0x7e')
    throw new DepositDecodeError('not a 0x7E deposit transaction')
  let fields: unknown
  try {
    fields = fromRlp(slice(serialized, 1), 'hex')
  } catch (e) {
    throw new DepositDecodeError(`bad RLP: ${(e as Error).message}`)
  }
  if (!Array.isArray(fields) || fields.length !== 8 || fields.some((f) => typeof f !== 'string'))
    throw new DepositDecodeError('a deposit transaction is a list of 8 byte strings')
  const [sourceHash, from, to, mint, value, gas, isSystemTx, data] = fields as Hex[]
  if (size(sourceHash as Hex) !== 32) throw new DepositDecodeError('sourceHash is not 32 bytes')
  if (!isAddress(from as Hex, { strict: false })) throw new DepositDecodeError('from is not an address')
  if (to !== '0x' && !isAddress(to as Hex, { strict: false })) throw new DepositDecodeError('to is not an address')
  if (isSystemTx !== '0x' && isSystemTx !== '0x01') throw new DepositDecodeError('isSystemTx is not a boolean')
  const tx: DepositTransaction = {
    sourceHash: sourceHash as Hex,
    from: getAddress(from as Hex),
    to: to === '0x' ? null : getAddress(to as Hex),
    mint: mint === '0x' ? 0n : hexToBigInt(mint as Hex),
    value: value === '0x' ? 0n : hexToBigInt(value as Hex),
    gas: gas === '0x' ? 0n : hexToBigInt(gas as Hex),
    isSystemTx: isSystemTx === '0x' ? false : hexToBool(isSystemTx as Hex),
    data: data as Hex,
  }
  // Leading zeros in a quantity (or any other non-canonical form) would give one deposit two hashes.
  if (serializeDepositTransaction(tx) !== serialized.toLowerCase())
    throw new DepositDecodeError('non-canonical encoding')
  if (tx.gas >= 1n << 64n) throw new DepositDecodeError('gas above uint64')
  return tx
}

/** The L2 transaction hash of a deposit: keccak256 of its serialization, as any typed transaction. */
export const depositTransactionHash = (tx: DepositTransaction): Hex => keccak256(serializeDepositTransaction(tx))
