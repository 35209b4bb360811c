/**
 * Claims the best epoch voucher held for a slot when it adds to what the escrow already paid: one L1
 * transaction settles every epoch since the last claim. Returns the settlement's hash, or undefined when
 * there is nothing new to claim.
 */
import { claimEpochsCall, readBountySlot } from '@seed/contracts'
import type { Account, Address, Chain, Client, Hash, Transport } from 'viem'
import { sendTransaction, waitForTransactionReceipt } from 'viem/actions'
import { OperatorError } from './errors.ts'
import type { VoucherStore } from './voucherStore.ts'

export async function settleEpochs(
  client: Client<Transport, Chain, Account>,
  p: { escrow: Address; bountyId: bigint; agentId: bigint; vouchers: VoucherStore },
): Promise<{ hash: Hash; amount: bigint } | undefined> {
  const voucher = p.vouchers.latest(p.bountyId, p.agentId)
  if (!voucher) return undefined
  const slot = await readBountySlot(client, p)
  if (!slot || voucher.cumulativeAmount <= slot.claimed) return undefined
  const hash = await sendTransaction(client, {
    ...claimEpochsCall(p.escrow, voucher),
    account: client.account,
    chain: client.chain,
  })
  const receipt = await waitForTransactionReceipt(client, { hash })
  if (receipt.status !== 'success') throw new OperatorError('the settlement reverted', { details: hash })
  return { hash, amount: voucher.cumulativeAmount - slot.claimed }
}
