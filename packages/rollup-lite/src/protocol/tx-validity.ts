/**
 * Transaction validity: the stateless and stateful checks a raw transaction passes before the
 * sequencer admits it, and that derivation re-applies to every transaction of a batch (SPEC.md §7).
 */
import type { Common } from '@ethereumjs/common'
import { Capability, createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx'
import type { Address as EjsAddress } from '@ethereumjs/util'
import { bytesToHex, type Hex } from 'viem'
import { invalidParams, RpcCodes, RpcError, serverError, txRejected } from '../chain/errors.ts'
import { typedSigningPayload } from '../chain/signing-payload.ts'
import { DEPOSIT_TX_TYPE } from './bridge/deposit.ts'
import { MAX_TX_SIZE } from './config.ts'

export type DecodedTx = {
  tx: TypedTransaction
  raw: Uint8Array
  hash: Hex
  nonce: bigint
  maxFee: bigint
  maxTip: bigint
}

/** A decoded transaction with its recovered sender (the mempool's entry). */
export type SenderPinnedTx = DecodedTx & { sender: Hex }

/**
 * Recovers tx senders, possibly off the main thread (Node: worker_threads with libsecp256k1).
 * Resolves with the address, or undefined for an invalid signature.
 */
export type SenderRecoverer = {
  recover(tx: TypedTransaction): Promise<EjsAddress | undefined>
  close(): Promise<void>
}

/** Decodes and checks size/type/chain/signature presence/intrinsic gas/fee fields (no recovery). */
export function decodeRawTx(
  raw: Uint8Array,
  common: Common,
  keccak256: (b: Uint8Array) => Uint8Array,
  blockGasLimit: bigint,
): DecodedTx {
  if (raw.length > MAX_TX_SIZE)
    throw serverError(`oversized data: transaction size ${raw.length}, limit ${MAX_TX_SIZE}`)
  if (raw.length === 0) throw invalidParams('invalid transaction: empty input')
  if (raw[0] === 3)
    throw serverError('transaction type not supported: blob transactions are not accepted by this rollup')
  if (raw[0] === DEPOSIT_TX_TYPE)
    throw serverError('transaction type not supported: deposit transactions come only from L1, through the portal')
  let tx: TypedTransaction
  try {
    // Not frozen so the recovered sender can be pinned on the tx (runTx asks for it again, and
    // ethereumjs would re-derive the address with a pure-JS keccak each time).
    tx = createTxFromRLP(raw, { common, freeze: false })
  } catch (error) {
    const message = (error as Error).message
    if (/chain id/i.test(message)) throw serverError(`invalid chain id: ${message.split(' (')[0]}`)
    if (/gasLimit is too low/.test(message)) throw serverError('intrinsic gas too low')
    throw invalidParams(`invalid transaction: ${message.split(' (')[0]}`)
  }
  if (!tx.isSigned()) throw invalidParams('invalid transaction: not signed')
  // The signing hash from the raw bytes (decoding succeeded, so they are canonical RLP): ethereumjs
  // would rebuild them from the fields on every recovery.
  const payload = typedSigningPayload(raw)
  if (payload) {
    let signingHash: Uint8Array | undefined
    Object.defineProperty(tx, 'getMessageToVerifySignature', { value: () => (signingHash ??= keccak256(payload)) })
  }
  const minimum = tx.getMinimumGasLimit()
  if (tx.gasLimit < minimum) throw serverError(`intrinsic gas too low: gas ${tx.gasLimit}, minimum needed ${minimum}`)
  if (tx.gasLimit > blockGasLimit) throw serverError('exceeds block gas limit')
  const fees = feeCaps(tx)
  if (fees.maxTip > fees.maxFee) throw serverError('max priority fee per gas higher than max fee per gas')
  return { tx, raw, hash: bytesToHex(keccak256(raw)), nonce: tx.nonce, ...fees }
}

/** Recovers on this thread (ethereumjs + the Common's customCrypto). */
export function recoverSync(tx: TypedTransaction): EjsAddress | undefined {
  try {
    return tx.getSenderAddress()
  } catch {
    return undefined
  }
}

/**
 * Pins the sender on the tx: runTx asks for it again, and ethereumjs would re-derive the address
 * (pure-JS keccak) every time. The tx was decoded unfrozen for this.
 */
export function withSender(d: DecodedTx, sender: EjsAddress | undefined): SenderPinnedTx {
  if (!sender) throw serverError('invalid sender')
  Object.defineProperty(d.tx, 'getSenderAddress', { value: () => sender })
  return { ...d, sender: sender.toString() as Hex }
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
export function checkAgainstState(p: SenderPinnedTx, state: { nonce: bigint; balance: bigint }, baseFee: bigint): void {
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
