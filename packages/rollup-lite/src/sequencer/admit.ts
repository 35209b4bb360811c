/** Stateless and stateful checks of a raw transaction before it enters the mempool. */
import type { Common } from '@ethereumjs/common'
import { Capability, createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx'
import type { Address as EjsAddress } from '@ethereumjs/util'
import { bytesToHex, type Hex } from 'viem'
import { invalidParams, RpcCodes, RpcError, serverError, txRejected } from '../chain/errors.ts'
import { MAX_TX_SIZE } from '../chain/spec.ts'
import type { PoolTx } from './mempool.ts'

/** Decodes, checks signature/chain/size/intrinsic gas and recovers the sender (cached on the tx). */
export function decodeRawTx(
  raw: Uint8Array,
  common: Common,
  keccak256: (b: Uint8Array) => Uint8Array,
  blockGasLimit: bigint,
): PoolTx {
  if (raw.length > MAX_TX_SIZE)
    throw serverError(`oversized data: transaction size ${raw.length}, limit ${MAX_TX_SIZE}`)
  if (raw.length === 0) throw invalidParams('invalid transaction: empty input')
  if (raw[0] === 3)
    throw serverError('transaction type not supported: blob transactions are not accepted by this rollup')
  let tx: TypedTransaction
  try {
    tx = createTxFromRLP(raw, { common })
  } catch (error) {
    const message = (error as Error).message
    if (/chain id/i.test(message)) throw serverError(`invalid chain id: ${message.split(' (')[0]}`)
    if (/gasLimit is too low/.test(message)) throw serverError('intrinsic gas too low')
    throw invalidParams(`invalid transaction: ${message.split(' (')[0]}`)
  }
  if (!tx.isSigned()) throw invalidParams('invalid transaction: not signed')
  let sender: EjsAddress
  try {
    sender = tx.getSenderAddress() // recovered once here; the frozen tx caches the public key
  } catch {
    throw serverError('invalid sender')
  }
  const minimum = tx.getMinimumGasLimit()
  if (tx.gasLimit < minimum) throw serverError(`intrinsic gas too low: gas ${tx.gasLimit}, minimum needed ${minimum}`)
  if (tx.gasLimit > blockGasLimit) throw serverError('exceeds block gas limit')
  const fees = feeCaps(tx)
  if (fees.maxTip > fees.maxFee) throw serverError('max priority fee per gas higher than max fee per gas')
  return { tx, raw, hash: bytesToHex(keccak256(raw)), sender: sender.toString() as Hex, nonce: tx.nonce, ...fees }
}

export function feeCaps(tx: TypedTransaction): { maxFee: bigint; maxTip: bigint } {
  if (tx.supports(Capability.EIP1559FeeMarket)) {
    const t = tx as unknown as { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
    return { maxFee: t.maxFeePerGas, maxTip: t.maxPriorityFeePerGas }
  }
  const gasPrice = (tx as unknown as { gasPrice: bigint }).gasPrice
  return { maxFee: gasPrice, maxTip: gasPrice }
}

/** Checks against the current state: nonce, balance, base fee. */
export function checkAgainstState(p: PoolTx, state: { nonce: bigint; balance: bigint }, baseFee: bigint): void {
  if (p.nonce < state.nonce)
    throw serverError(`nonce too low: address ${p.sender}, tx: ${p.nonce} state: ${state.nonce}`)
  const cost = p.tx.gasLimit * p.maxFee + p.tx.value
  if (state.balance < cost) {
    throw serverError(
      `insufficient funds for gas * price + value: address ${p.sender} have ${state.balance} want ${cost}`,
    )
  }
  if (p.maxFee < baseFee) {
    throw txRejected(`transaction underpriced: max fee per gas ${p.maxFee} less than block base fee ${baseFee}`)
  }
}

export const isRpcError = (e: unknown): e is RpcError => e instanceof RpcError
export { RpcCodes }
