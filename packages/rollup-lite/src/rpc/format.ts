/** JSON-RPC shapes (as geth returns them) for blocks, transactions, receipts and logs. */
import type { Common } from '@ethereumjs/common'
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex, type Hex, numberToHex, toHex } from 'viem'
import type { SealedBlock, StoredReceipt } from '../chain/types.ts'
import { DEPOSIT_TX_TYPE, type DepositTransaction, parseDepositTransaction } from '../protocol/bridge/deposit.ts'

export type TxLocation = { blockHash: Hex | null; blockNumber: bigint; index: number }

const q = (n: bigint | number) => numberToHex(n)

export function formatBlock(block: SealedBlock, full: boolean, txJson?: (i: number) => Record<string, unknown>) {
  const h = block.header
  return {
    number: q(h.number),
    hash: block.hash,
    parentHash: h.parentHash,
    nonce: '0x0000000000000000',
    sha3Uncles: '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347',
    logsBloom: h.logsBloom,
    transactionsRoot: h.transactionsRoot,
    stateRoot: h.stateRoot,
    receiptsRoot: h.receiptsRoot,
    miner: h.miner,
    difficulty: '0x0',
    totalDifficulty: '0x0',
    extraData: h.extraData,
    size: q(block.headerRlp.length + block.transactions.reduce((n, t) => n + t.length, 0)),
    gasLimit: q(h.gasLimit),
    gasUsed: q(h.gasUsed),
    timestamp: q(h.timestamp),
    transactions: full && txJson ? block.transactions.map((_, i) => txJson(i)) : block.transactionHashes,
    uncles: [],
    baseFeePerGas: q(h.baseFeePerGas),
    mixHash: h.mixHash,
    withdrawals: [],
    withdrawalsRoot: h.withdrawalsRoot,
    blobGasUsed: q(h.blobGasUsed),
    excessBlobGas: q(h.excessBlobGas),
    parentBeaconBlockRoot: h.parentBeaconBlockRoot,
    requestsHash: h.requestsHash,
  }
}

/** A stored transaction: a signed one, or a deposit (0x7E, SPEC.md §10.1), which ethereumjs does not know. */
export type RpcTx = TypedTransaction | DepositTransaction

const isDeposit = (tx: RpcTx): tx is DepositTransaction => 'sourceHash' in tx

export function decodeTx(raw: Uint8Array, common: Common): RpcTx {
  if (raw[0] === DEPOSIT_TX_TYPE) return parseDepositTransaction(bytesToHex(raw))
  return createTxFromRLP(raw, { common })
}

/** OP's JSON of a deposit transaction: no signature, no fee fields; sourceHash, mint, isSystemTx. */
function formatDeposit(
  d: DepositTransaction,
  hash: Hex,
  from: Hex,
  location: TxLocation | null,
): Record<string, unknown> {
  return {
    type: q(DEPOSIT_TX_TYPE),
    hash,
    from,
    to: d.to,
    gas: q(d.gas),
    gasPrice: '0x0',
    value: q(d.value),
    input: d.data,
    sourceHash: d.sourceHash,
    mint: q(d.mint),
    isSystemTx: d.isSystemTx,
    v: '0x0',
    r: '0x0',
    s: '0x0',
    blockHash: location?.blockHash ?? null,
    blockNumber: location ? q(location.blockNumber) : null,
    transactionIndex: location ? q(location.index) : null,
  }
}

export function formatTx(
  tx: RpcTx,
  hash: Hex,
  from: Hex,
  location: TxLocation | null,
  effectiveGasPrice?: bigint,
): Record<string, unknown> {
  if (isDeposit(tx)) return formatDeposit(tx, hash, from, location)
  const j = tx.toJSON() as Record<string, unknown>
  const out: Record<string, unknown> = {
    type: q(tx.type),
    hash,
    from,
    to: j.to ?? null,
    nonce: j.nonce,
    gas: j.gasLimit,
    value: j.value,
    input: j.data,
    v: j.v,
    r: j.r,
    s: j.s,
    blockHash: location?.blockHash ?? null,
    blockNumber: location ? q(location.blockNumber) : null,
    transactionIndex: location ? q(location.index) : null,
  }
  if (tx.type !== 0) {
    out.chainId = j.chainId
    out.accessList = j.accessList ?? []
    out.yParity = j.v
  } else if (j.chainId !== undefined) {
    out.chainId = j.chainId
  }
  if (tx.type >= 2) {
    out.maxFeePerGas = j.maxFeePerGas
    out.maxPriorityFeePerGas = j.maxPriorityFeePerGas
    out.gasPrice = effectiveGasPrice !== undefined ? q(effectiveGasPrice) : j.maxFeePerGas
  } else {
    out.gasPrice = j.gasPrice
  }
  if (tx.type === 4) out.authorizationList = j.authorizationList ?? []
  return out
}

export function formatLog(log: StoredReceipt['logs'][number], logIndex: number, txHash: Hex, location: TxLocation) {
  return {
    address: log.address,
    topics: log.topics,
    data: log.data,
    blockHash: location.blockHash,
    blockNumber: q(location.blockNumber),
    transactionHash: txHash,
    transactionIndex: q(location.index),
    logIndex: q(logIndex),
    removed: false,
  }
}

export function formatReceipt(
  tx: RpcTx,
  hash: Hex,
  receipt: StoredReceipt,
  location: TxLocation,
  firstLogIndex: number,
) {
  const to = isDeposit(tx) ? tx.to : (tx.to?.toString() ?? null)
  return {
    transactionHash: hash,
    transactionIndex: q(location.index),
    blockHash: location.blockHash,
    blockNumber: q(location.blockNumber),
    from: receipt.from,
    to,
    cumulativeGasUsed: q(receipt.cumulativeGasUsed),
    gasUsed: q(receipt.gasUsed),
    effectiveGasPrice: q(receipt.effectiveGasPrice),
    contractAddress: receipt.contractAddress,
    logs: receipt.logs.map((l, i) => formatLog(l, firstLogIndex + i, hash, location)),
    logsBloom: receipt.logsBloom,
    type: q(isDeposit(tx) ? DEPOSIT_TX_TYPE : tx.type),
    status: q(receipt.status),
  }
}

/** Index of the first log of tx `index` within its block. */
export function firstLogIndex(receipts: readonly StoredReceipt[], index: number): number {
  let n = 0
  for (let i = 0; i < index; i++) n += (receipts[i] as StoredReceipt).logs.length
  return n
}

export const hexQ = q
export { toHex }
