/**
 * Closing a bounty this wallet posted (decision 0802): `requestClose`, then after the escrow's `CLOSE_DELAY`
 * (its operators claim their last vouchers meanwhile) `withdraw` every joined slot, which also returns the
 * unjoined ones. Each is one L1 op through the action pipeline as the caller's send, like posting; the refund is
 * not a spend (the policy decodes no outflow in either call). The payer pays no epoch past the delay (pay-epochs).
 */
import type { BountyClosing, BountyRef, BountyWithdrawn } from '@seed/agent/api'
import {
  BOUNTY_CLOSE_DELAY,
  type Bounty,
  readBounty,
  requestCloseCall,
  SeedBountyEscrowAbi,
  withdrawBountyCall,
} from '@seed/contracts'
import { formatUnits, isAddressEqual, parseEventLogs } from 'viem'
import { getContractEvents } from 'viem/actions'
import { ErrorCode, invalidParams, ProviderRpcError } from '../../core/errors.ts'
import type { PostedBounty } from '../../core/records.ts'
import { stored } from '../../core/storage.ts'
import { l1Client } from '../account/clients.ts'
import type { ResolvedCaller } from '../agent/caller.ts'
import { sendToEscrow } from './escrow-send.ts'

export function parseBountyRef(params: unknown, method: string): BountyRef {
  const bountyId = (params as { bountyId?: unknown } | undefined)?.bountyId
  if (typeof bountyId !== 'string' || !/^\d{1,78}$/.test(bountyId))
    throw invalidParams(`${method}: bountyId, a decimal string`)
  return { bountyId }
}

/** When the slots can be withdrawn (ms), for a bounty whose close was requested. */
export const withdrawableAt = (bounty: Pick<Bounty, 'closeRequestedAt'>) =>
  Number((bounty.closeRequestedAt + BOUNTY_CLOSE_DELAY) * 1000n)

/**
 * No new epoch is paid once the operators' last settlement window is over (the close delay: after it the poster
 * may withdraw, and a voucher signed then could not be claimed), nor once the wallet withdrew.
 */
export const closedForPayment = (record: PostedBounty, bounty: Bounty, now: number) =>
  !!record.closed || (bounty.closing && now >= withdrawableAt(bounty))

async function ownBounty(bountyId: string, method: string): Promise<PostedBounty> {
  const record = (await stored.bounties.get())[bountyId]
  if (!record) throw invalidParams(`${method}: bounty #${bountyId} was not posted by this wallet`)
  return record
}

export async function closeBounty(caller: ResolvedCaller, { bountyId }: BountyRef): Promise<BountyClosing> {
  const record = await ownBounty(bountyId, 'bounties.close')
  const bounty = await readBounty(await l1Client(), { escrow: record.escrow, bountyId: BigInt(bountyId) })
  if (bounty.closing) throw invalidParams(`bounties.close: bounty #${bountyId} is closing already`)
  const { tx, logs } = await sendToEscrow(caller, [requestCloseCall(record.escrow, { bountyId: BigInt(bountyId) })])
  const requested = parseEventLogs({ abi: SeedBountyEscrowAbi, eventName: 'CloseRequested', logs }).find((log) =>
    isAddressEqual(log.address, record.escrow),
  )
  if (!requested) throw new ProviderRpcError(ErrorCode.internal, 'The close transaction requested no close.')
  return { bountyId, tx, withdrawableAt: Number(requested.args.closableAt * 1000n) }
}

export async function withdrawBounty(caller: ResolvedCaller, { bountyId }: BountyRef): Promise<BountyWithdrawn> {
  const record = await ownBounty(bountyId, 'bounties.withdraw')
  if (record.closed) throw invalidParams(`bounties.withdraw: bounty #${bountyId} was withdrawn already`)
  const l1 = await l1Client()
  const bounty = await readBounty(l1, { escrow: record.escrow, bountyId: BigInt(bountyId) })
  if (!bounty.closing) throw invalidParams(`bounties.withdraw: request the close of bounty #${bountyId} first`)
  const at = withdrawableAt(bounty)
  const now = Number((await l1.getBlock()).timestamp * 1000n)
  if (now < at)
    throw invalidParams(`bounties.withdraw: bounty #${bountyId} can be withdrawn from ${new Date(at).toISOString()}`)
  // Every slot that joined (the escrow skips closed ones): their unclaimed allotments come back with the unjoined.
  const joins = await getContractEvents(l1, {
    address: record.escrow,
    abi: SeedBountyEscrowAbi,
    eventName: 'BountyJoined',
    args: { bountyId: BigInt(bountyId) },
    fromBlock: BigInt(record.fromBlock),
    strict: true,
  })
  const agentIds = joins.map((join) => join.args.agentId)
  const { tx, logs } = await sendToEscrow(caller, [
    withdrawBountyCall(record.escrow, { bountyId: BigInt(bountyId), agentIds }),
  ])
  const closed = parseEventLogs({ abi: SeedBountyEscrowAbi, eventName: 'BountyClosed', logs }).find((log) =>
    isAddressEqual(log.address, record.escrow),
  )
  if (!closed) throw new ProviderRpcError(ErrorCode.internal, 'The withdraw transaction closed no bounty.')
  const refunded = formatUnits(closed.args.refunded, 6)
  await navigator.locks.request('seed.bounties', async () => {
    const all = await stored.bounties.get()
    const current = all[bountyId]
    if (current) await stored.bounties.set({ ...all, [bountyId]: { ...current, closed: { refunded, tx } } })
  })
  return { bountyId, tx, refunded }
}
