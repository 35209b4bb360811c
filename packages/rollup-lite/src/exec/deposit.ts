/**
 * Deposit execution (SPEC.md §10.1): a 0x7E transaction has no signature, no fee and no nonce
 * check. Its `mint` is credited to `from` first and stays whatever happens next; then the call (or
 * creation) runs from `from` with the deposit's gas and value, as a legacy transaction at gas price
 * 0 in the block's context with base fee 0 (so nothing is charged and the coinbase earns nothing).
 * A call the EVM refuses outright (value above the balance, gas below the intrinsic cost, a sender
 * with code) still bumps `from`'s nonce and uses all of its gas, as OP's failed deposits do.
 */
import { type Block, createBlock } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { createLegacyTx, type TypedTransaction } from '@ethereumjs/tx'
import { Account, createAddressFromString } from '@ethereumjs/util'
import type { TxReceipt, VM } from '@ethereumjs/vm'
import { type Address, bytesToHex, hexToBytes } from 'viem'
import type { StoredReceipt } from '../chain/types.ts'
import {
  type DepositTransaction,
  depositTransactionHash,
  serializeDepositTransaction,
} from '../protocol/bridge/deposit.ts'
import { ZERO_BLOOM } from '../protocol/header.ts'
import { type BlockExecutor, type ExecutedTx, runTxRestoringDepth } from './executor.ts'

export type DepositResult = { tx: TypedTransaction; vmReceipt: TxReceipt; receipt: StoredReceipt }

/**
 * Places deposit `d` in the executor's open block. Deposits are never refused: not by the block's
 * gas limit (the portal bounds the deposit gas of one L1 block), nor by its byte bound (they are
 * not in the batch).
 */
export async function executeDeposit(executor: BlockExecutor, d: DepositTransaction): Promise<ExecutedTx> {
  executor.stampIfEmpty()
  const open = executor.open
  const raw = hexToBytes(serializeDepositTransaction(d))
  const result = await runDeposit(executor.vm, executor.common, open.context, d, open.gasUsed)
  const executed: ExecutedTx = {
    ...result,
    raw,
    hash: depositTransactionHash(d),
    index: open.txs.length,
    deposit: d,
  }
  open.gasUsed = executed.receipt.cumulativeGasUsed
  open.txs.push(executed)
  open.byHash.set(executed.hash, executed)
  return executed
}

/** Runs deposit `d` on the VM's state inside the open block `context`, after `blockGasUsed` gas. */
export async function runDeposit(
  vm: VM,
  common: Common,
  context: Block,
  d: DepositTransaction,
  blockGasUsed: bigint,
): Promise<DepositResult> {
  const from = createAddressFromString(d.from)
  const sm = vm.stateManager
  const account = (await sm.getAccount(from)) ?? new Account()
  account.balance += d.mint
  await sm.putAccount(from, account)
  const tx = createLegacyTx(
    { nonce: account.nonce, gasPrice: 0n, gasLimit: d.gas, to: d.to ?? undefined, value: d.value, data: d.data },
    { common, freeze: false },
  )
  // runTx asks the tx for its sender: an unsigned deposit names it.
  Object.defineProperty(tx, 'getSenderAddress', { value: () => from })
  try {
    const result = await runTxRestoringDepth(vm, {
      tx,
      block: feeFreeContext(context, common),
      blockGasUsed,
      skipNonce: true,
      skipBlockGasLimitValidation: true,
      skipHardForkValidation: true,
    })
    const logs = result.execResult.logs ?? []
    return {
      tx,
      vmReceipt: result.receipt,
      receipt: {
        status: result.execResult.exceptionError ? 0 : 1,
        cumulativeGasUsed: blockGasUsed + result.totalGasSpent,
        gasUsed: result.totalGasSpent,
        effectiveGasPrice: 0n,
        from: d.from.toLowerCase() as Address,
        contractAddress: (result.createdAddress?.toString() as Address | undefined) ?? null,
        logs: logs.map(([address, topics, data]) => ({
          address: bytesToHex(address),
          topics: topics.map((t) => bytesToHex(t)),
          data: bytesToHex(data),
        })),
        logsBloom: logs.length === 0 ? ZERO_BLOOM : bytesToHex(result.bloom.bitvector),
      },
    }
  } catch {
    // Refused before the EVM ran: the mint stays, the nonce moves on, the gas is spent.
    const after = (await sm.getAccount(from)) ?? new Account()
    after.nonce += 1n
    await sm.putAccount(from, after)
    const cumulative = blockGasUsed + d.gas
    return {
      tx,
      vmReceipt: { status: 0, cumulativeBlockGasUsed: cumulative, bitvector: new Uint8Array(256), logs: [] },
      receipt: {
        status: 0,
        cumulativeGasUsed: cumulative,
        gasUsed: d.gas,
        effectiveGasPrice: 0n,
        from: d.from.toLowerCase() as Address,
        contractAddress: null,
        logs: [],
        logsBloom: ZERO_BLOOM,
      },
    }
  }
}

/** The open block's context with base fee 0: a deposit's gas was bought on L1. */
function feeFreeContext(context: Block, common: Common): Block {
  const h = context.header
  return createBlock(
    {
      header: {
        number: h.number,
        timestamp: h.timestamp,
        gasLimit: h.gasLimit,
        baseFeePerGas: 0n,
        coinbase: h.coinbase,
        parentHash: h.parentHash,
      },
    },
    { common, freeze: false },
  )
}
