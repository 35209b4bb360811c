/**
 * Checks an epoch voucher the poster sent before the operator counts it as pay: the bounty and this
 * agent's slot exist and are open, the poster signed it, it stays within the slot's allotment and adds at
 * least one epoch's price to the best voucher held (or is that voucher's total again: `added` 0). Then it is
 * stored (the operator claims it later).
 */
import { isPosterVoucher, readBounty, readBountySlot, type SignedEpochVoucher } from '@seed/contracts'
import type { Address, Chain, Client, Transport } from 'viem'
import { OperatorError } from './errors.ts'
import type { VoucherStore } from './voucherStore.ts'

export async function acceptVoucher(
  client: Client<Transport, Chain>,
  p: { escrow: Address; voucher: SignedEpochVoucher; vouchers: VoucherStore },
): Promise<{ cumulativeAmount: bigint; added: bigint }> {
  const { voucher, escrow } = p
  const bounty = await readBounty(client, { escrow, bountyId: voucher.bountyId }).catch(() => undefined)
  if (!bounty) throw new OperatorError('no such bounty', { status: 404 })
  const slot = await readBountySlot(client, { escrow, bountyId: voucher.bountyId, agentId: voucher.agentId })
  if (!slot || slot.closed) throw new OperatorError('this agent holds no open slot in the bounty', { status: 404 })
  const signed = await isPosterVoucher(client, {
    chainId: client.chain.id,
    escrow,
    bountyId: voucher.bountyId,
    agentId: voucher.agentId,
    cumulativeAmount: voucher.cumulativeAmount,
    poster: bounty.poster,
    signature: voucher.signature,
  })
  if (!signed) throw new OperatorError('the voucher is not signed by the bounty poster')
  if (voucher.cumulativeAmount > bounty.allotment) {
    throw new OperatorError('the voucher exceeds the slot allotment', {
      details: `${voucher.cumulativeAmount} > ${bounty.allotment}`,
    })
  }
  const held = p.vouchers.latest(voucher.bountyId, voucher.agentId)?.cumulativeAmount ?? slot.claimed
  const added = voucher.cumulativeAmount - held
  // The total held, sent again: a poster that never got the answer (its worker died waiting) re-sends the total
  // it journaled until it hears it was taken (decision 0802). Taken again, nothing added, nothing new to settle.
  if (added === 0n) return { cumulativeAmount: voucher.cumulativeAmount, added }
  if (added < bounty.pricePerEpoch) {
    throw new OperatorError('the voucher adds less than one epoch', {
      details: `adds ${added}, price ${bounty.pricePerEpoch}`,
    })
  }
  p.vouchers.put(voucher)
  return { cumulativeAmount: voucher.cumulativeAmount, added }
}
