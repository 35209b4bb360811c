/**
 * The fast path for a plain value transfer: an EOA sends a non-zero value, without data or access
 * list, to an account without code that is neither a precompile, the sender nor the coinbase. Its
 * effects are fixed by the protocol (21,000 gas; sender nonce + 1 and balance - value - fee;
 * recipient + value; coinbase + tip), so they are applied to the state directly instead of through
 * runTx's journal, checkpoints, warm sets and EVM call frame. Anything else — and any transfer that
 * would fail (nonce, funds, fee cap) — returns undefined and goes through runTx, which produces the
 * error. The differential test (transfer.test.ts) runs the same blocks both ways: same state roots,
 * receipts, gas and logs.
 */
import type { Block } from '@ethereumjs/block'
import { Capability, type TypedTransaction } from '@ethereumjs/tx'
import { Account, bytesToUnprefixedHex, equalsBytes, KECCAK256_NULL } from '@ethereumjs/util'
import type { TxReceipt, VM } from '@ethereumjs/vm'

export const TRANSFER_GAS = 21_000n

export type TransferResult = { gasUsed: bigint; gasPrice: bigint; receipt: TxReceipt }

const ZERO_BLOOM = new Uint8Array(256)

/** Applies `tx` if it is a plain transfer that will succeed; undefined = run it through the EVM. */
export async function tryPlainTransfer(
  vm: VM,
  tx: TypedTransaction,
  block: Block,
  blockGasUsed: bigint,
): Promise<TransferResult | undefined> {
  const to = tx.to
  if (to === undefined || tx.data.length > 0 || tx.value <= 0n || tx.gasLimit < TRANSFER_GAS) return undefined
  if (tx.type > 2) return undefined // 0 legacy, 1 EIP-2930, 2 EIP-1559 only (no 4844 blobs, no 7702 authorizations)
  if (tx.type !== 0 && (tx as unknown as { accessList: unknown[] }).accessList.length > 0) return undefined
  const caller = tx.getSenderAddress()
  const coinbase = block.header.coinbase
  if (to.equals(caller) || to.equals(coinbase) || caller.equals(coinbase)) return undefined
  if (vm.evm.precompiles.has(bytesToUnprefixedHex(to.bytes))) return undefined

  const baseFee = block.header.baseFeePerGas ?? 0n
  let gasPrice: bigint
  let maxCost: bigint
  if (tx.supports(Capability.EIP1559FeeMarket)) {
    const t = tx as unknown as { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
    if (t.maxFeePerGas < baseFee) return undefined
    const room = t.maxFeePerGas - baseFee
    gasPrice = baseFee + (t.maxPriorityFeePerGas < room ? t.maxPriorityFeePerGas : room)
    maxCost = tx.gasLimit * t.maxFeePerGas + tx.value
  } else {
    gasPrice = (tx as unknown as { gasPrice: bigint }).gasPrice
    if (gasPrice < baseFee) return undefined
    maxCost = tx.gasLimit * gasPrice + tx.value
  }

  const state = vm.stateManager
  const sender = await state.getAccount(caller)
  if (sender === undefined || sender.nonce !== tx.nonce || sender.balance < maxCost) return undefined
  if (!equalsBytes(sender.codeHash, KECCAK256_NULL)) return undefined // EIP-3607 or a 7702 delegation
  const recipient = await state.getAccount(to)
  if (recipient !== undefined && !equalsBytes(recipient.codeHash, KECCAK256_NULL)) return undefined
  const miner = (await state.getAccount(coinbase)) ?? new Account()
  const tip = TRANSFER_GAS * (gasPrice - baseFee)
  // A zero tip to an empty coinbase: runTx touches it and EIP-158 deletes it again.
  if (tip === 0n && miner.isEmpty()) return undefined

  sender.nonce += 1n
  sender.balance -= TRANSFER_GAS * gasPrice + tx.value
  await state.putAccount(caller, sender)
  const credited = recipient ?? new Account()
  credited.balance += tx.value
  await state.putAccount(to, credited)
  miner.balance += tip
  await state.putAccount(coinbase, miner)
  return {
    gasUsed: TRANSFER_GAS,
    gasPrice,
    receipt: { status: 1, cumulativeBlockGasUsed: blockGasUsed + TRANSFER_GAS, bitvector: ZERO_BLOOM, logs: [] },
  }
}
