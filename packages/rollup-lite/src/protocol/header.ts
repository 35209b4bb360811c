/**
 * Header rules (SPEC.md §1.2): the one place that says what a block's header is, given its parent,
 * its timestamp and the results of executing its transactions. The sequencer, the executor and
 * derivation's replay all build headers here, so they cannot disagree.
 */
import { type Address, type Hex, hexToBigInt, numberToHex, size } from 'viem'
import type { Genesis, RollupHeader } from '../chain/types.ts'
import { nextBaseFee } from './base-fee.ts'
import { DEFAULT_INITIAL_BASE_FEE, type RollupConfig } from './config.ts'

export const EMPTY_TRIE_ROOT: Hex = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'
/** sha256 of nothing: the EIP-7685 requests hash of a block without requests. */
export const EMPTY_REQUESTS_HASH: Hex = '0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
export const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`
export const ZERO_BLOOM: Hex = `0x${'00'.repeat(256)}`

/** A block's timestamp: the sequencer's clock, never before the parent's (§1.1). */
export function blockTimestamp(parentTimestamp: bigint, now: bigint): bigint {
  return now > parentTimestamp ? now : parentTimestamp
}

/** What a block's execution needs to know before its first transaction. */
export type BlockEnvironment = {
  number: bigint
  timestamp: bigint
  gasLimit: bigint
  baseFeePerGas: bigint
  /** v2: the block's L1 origin (§10.2), committed in its `extraData`; absent on a chain without a bridge. */
  l1Origin?: bigint
}

/** v2: a block with an L1 origin has it as its `extraData`, 8 bytes big-endian, so its hash commits to it. */
export function l1OriginExtraData(l1Origin: bigint): Hex {
  return numberToHex(l1Origin, { size: 8 })
}

/** The L1 origin a header's `extraData` carries, or undefined (block 0, a v1 block). */
export function l1OriginOf(header: Pick<RollupHeader, 'number' | 'extraData'>): bigint | undefined {
  return header.number > 0n && size(header.extraData) === 8 ? hexToBigInt(header.extraData) : undefined
}

/** A block keeps its parent's L1 origin until the sequencer (or the batch) moves it. */
export function nextBlockEnvironment(
  parent: Pick<RollupHeader, 'number' | 'gasUsed' | 'gasLimit' | 'baseFeePerGas' | 'extraData'>,
  timestamp: bigint,
  config: Pick<RollupConfig, 'gasLimit'>,
): BlockEnvironment {
  const environment = {
    number: parent.number + 1n,
    timestamp,
    gasLimit: config.gasLimit,
    baseFeePerGas: nextBaseFee(parent),
  }
  const l1Origin = l1OriginOf(parent)
  return l1Origin === undefined ? environment : { ...environment, l1Origin }
}

/** What executing a block's transactions produced. */
export type ExecutionResults = {
  stateRoot: Hex
  transactionsRoot: Hex
  receiptsRoot: Hex
  logsBloom: Hex
  gasUsed: bigint
}

/** Constant fields: no PoW, no beacon chain (no EIP-4788 root), no blobs, no CL withdrawals or requests. */
const constantFields = {
  mixHash: ZERO_HASH,
  withdrawalsRoot: EMPTY_TRIE_ROOT,
  blobGasUsed: 0n,
  excessBlobGas: 0n,
  parentBeaconBlockRoot: ZERO_HASH,
  requestsHash: EMPTY_REQUESTS_HASH,
} as const

export function blockHeader(
  parentHash: Hex,
  environment: BlockEnvironment,
  results: ExecutionResults,
  config: Pick<RollupConfig, 'coinbase' | 'extraData'>,
): RollupHeader {
  return {
    parentHash,
    number: environment.number,
    timestamp: environment.timestamp,
    ...results,
    gasLimit: environment.gasLimit,
    baseFeePerGas: environment.baseFeePerGas,
    miner: config.coinbase,
    extraData: environment.l1Origin === undefined ? config.extraData : l1OriginExtraData(environment.l1Origin),
    ...constantFields,
  }
}

/** Block 0: the genesis state's root, no transactions, the genesis file's timestamp, base fee and extra data. */
export function genesisHeader(
  genesis: Pick<Genesis, 'timestamp' | 'baseFeePerGas' | 'extraData'>,
  stateRoot: Hex,
  config: { gasLimit: bigint; coinbase: Address },
): RollupHeader {
  return blockHeader(
    ZERO_HASH,
    {
      number: 0n,
      timestamp: BigInt(genesis.timestamp ?? 0),
      gasLimit: config.gasLimit,
      baseFeePerGas: genesis.baseFeePerGas ?? DEFAULT_INITIAL_BASE_FEE,
    },
    { stateRoot, transactionsRoot: EMPTY_TRIE_ROOT, receiptsRoot: EMPTY_TRIE_ROOT, logsBloom: ZERO_BLOOM, gasUsed: 0n },
    { coinbase: config.coinbase, extraData: genesis.extraData ?? '0x' },
  )
}
