/**
 * Block, receipt and genesis types. Stable: the batcher/derivation consumes SealedBlock.
 * A block is an Ethereum header (RLP, keccak hash) plus the ordered raw signed transactions
 * (legacy RLP or EIP-2718 typed envelopes) exactly as submitted.
 */
import type { Address, Hex } from 'viem'

export type RollupHeader = {
  parentHash: Hex
  number: bigint
  timestamp: bigint
  stateRoot: Hex
  transactionsRoot: Hex
  receiptsRoot: Hex
  logsBloom: Hex
  gasLimit: bigint
  gasUsed: bigint
  baseFeePerGas: bigint
  miner: Address
  extraData: Hex
  mixHash: Hex
  withdrawalsRoot: Hex
  blobGasUsed: bigint
  excessBlobGas: bigint
  parentBeaconBlockRoot: Hex
  requestsHash: Hex
}

export type SealedBlock = {
  hash: Hex
  header: RollupHeader
  /** RLP of the Ethereum header (keccak of this is `hash`). */
  headerRlp: Uint8Array
  /** Ordered raw signed transactions. */
  transactions: Uint8Array[]
  transactionHashes: Hex[]
}

export type StoredLog = { address: Hex; topics: Hex[]; data: Hex }

export type StoredReceipt = {
  status: 0 | 1
  cumulativeGasUsed: bigint
  gasUsed: bigint
  effectiveGasPrice: bigint
  from: Address
  contractAddress: Address | null
  logs: StoredLog[]
  logsBloom: Hex
}

export type GenesisAccount = {
  balance?: bigint | Hex
  nonce?: bigint | number
  code?: Hex
  storage?: Record<Hex, Hex>
}

export type Genesis = {
  chainId: bigint | number
  timestamp?: bigint | number
  gasLimit?: bigint
  baseFeePerGas?: bigint
  coinbase?: Address
  extraData?: Hex
  alloc: Record<Address, GenesisAccount>
}
