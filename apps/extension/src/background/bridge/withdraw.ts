/**
 * Withdraws ETH (the message passer's `initiateWithdrawal`, value burnt on L2) or Seed USD (the L2 bridge's
 * `withdrawTo`, which burns the twin) from the rollup account to the smart account on L1: one rollup send
 * through the one action pipeline (decision 0401: the rollup account signs). The withdrawal is recorded as soon
 * as its receipt is in; a record lost to a stopped worker is found again from the rollup's logs.
 */
import type { BridgeTransferParams, WithdrawalView } from '@seed/agent/api'
import {
  L2_STANDARD_BRIDGE,
  L2_TO_L1_MESSAGE_PASSER,
  L2StandardBridgeAbi,
  L2ToL1MessagePasserAbi,
  l2TwinAddress,
} from '@seed/contracts'
import { encodeFunctionData, erc20Abi, type Log, toHex } from 'viem'
import { getBalance, readContract, waitForTransactionReceipt } from 'viem/actions'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import type { ResolvedCaller } from '../agent/caller.ts'
import { sendOnRollup } from '../agent/wallet.ts'
import { formatAmount, parseTransfer } from './amounts.ts'
import { bridgeContext } from './chains.ts'
import { BridgeRefusedError } from './errors.ts'
import { recordWithdrawals, viewOf } from './withdrawals.ts'

/** L1 gas the withdrawal's call gets: ETH to the smart account's receive, or the L1 bridge's token transfer. */
const ETH_L1_GAS = 100_000n
const USD_L1_GAS = 200_000

export async function withdraw(
  caller: ResolvedCaller,
  params: BridgeTransferParams | unknown,
): Promise<WithdrawalView> {
  const { asset, amount } = parseTransfer(params, 'bridge.withdraw')
  const ctx = await bridgeContext()
  const twin = l2TwinAddress(ctx.usd)
  const balance =
    asset === 'eth'
      ? await getBalance(ctx.l2, { address: ctx.rollupAccount })
      : await readContract(ctx.l2, {
          address: twin,
          abi: erc20Abi,
          functionName: 'balanceOf',
          args: [ctx.rollupAccount],
        }).catch(
          () => 0n, // no twin yet: nothing of Seed USD was ever deposited
        )
  if (balance < amount) {
    throw new BridgeRefusedError(
      `The rollup account holds ${formatAmount(asset, balance)} ${asset.toUpperCase()}, less than ${formatAmount(asset, amount)}.`,
      { reason: 'insufficient-balance' },
    )
  }
  const call =
    asset === 'eth'
      ? {
          to: L2_TO_L1_MESSAGE_PASSER,
          value: toHex(amount),
          data: encodeFunctionData({
            abi: L2ToL1MessagePasserAbi,
            functionName: 'initiateWithdrawal',
            args: [ctx.smartAccount, ETH_L1_GAS, '0x'],
          }),
        }
      : {
          to: L2_STANDARD_BRIDGE,
          data: encodeFunctionData({
            abi: L2StandardBridgeAbi,
            functionName: 'withdrawTo',
            args: [twin, ctx.smartAccount, amount, USD_L1_GAS],
          }),
        }
  const { hash } = await sendOnRollup(caller, call)
  const receipt = await waitForTransactionReceipt(ctx.l2, { hash, pollingInterval: 250, timeout: 60_000 })
  if (receipt.status !== 'success')
    throw new ProviderRpcError(ErrorCode.transactionRejected, `The withdrawal ${hash} reverted on the rollup.`)
  const record = await recordWithdrawals(receipt.logs as Log[], ctx)
  if (!record) throw new ProviderRpcError(ErrorCode.internal, `The rollup tx ${hash} sent no withdrawal.`)
  return viewOf(ctx, record)
}
