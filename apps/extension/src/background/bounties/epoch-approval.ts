/**
 * A bounty epoch whose price is above the approval threshold is asked of the person (decision 0802): the payer
 * opens ONE approval request per slot (persisted like any approval: a restarted worker finds it), the ticks
 * after it see it pending and wait, an approval lets the payer's next tick pay through the same journal and
 * reservation, and a rejection leaves that epoch unpaid, the slot "refused by you" until a later epoch asks
 * again. The epoch's price met the budget when the bounty was posted (its deposit): here it is `committed`,
 * checked against the caps, the kill switch and the approval threshold, never counted a second time.
 */
import type { Action } from '@seed/aa'
import type { Bounty } from '@seed/contracts'
import { formatUnits } from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import { BOUNTY_EPOCH_METHOD, type EpochPayment, type PendingRequest } from '../../core/protocol.ts'
import type { BountyEpochApproval, BountySlotRecord } from '../../core/records.ts'
import { stored } from '../../core/storage.ts'
import { actions, reserve } from '../actions/policy.ts'
import { requestApproval, whenRejected } from '../approvals/approvals.ts'
import { BOUNTIES_ORIGIN } from './bounty-op.ts'
import { slotKey } from './voucher-journal.ts'

export function epochPayment(bounty: Bounty, slot: BountySlotRecord, units = 1n): EpochPayment {
  return {
    bountyId: bounty.bountyId.toString(),
    agentId: slot.agentId,
    kind: bounty.kind,
    operator: slot.operator,
    payee: slot.payee,
    pricePerEpoch: formatUnits(bounty.pricePerEpoch, 6),
    units: units.toString(),
    amount: formatUnits(bounty.pricePerEpoch * units, 6),
  }
}

/** The payer waits for the person: no voucher this tick (the slot shows why). */
export class EpochAwaitingApprovalError extends ProviderRpcError {
  override name = 'EpochAwaitingApprovalError'
  constructor(p: EpochPayment) {
    super(
      ErrorCode.unauthorized,
      `Waiting for your approval: ${p.amount} USDS to agent #${p.agentId} for bounty #${p.bountyId} is above the approval threshold.`,
    )
  }
}

const keyOf = (p: EpochPayment) => slotKey(BigInt(p.bountyId), BigInt(p.agentId))

async function setApproval(key: string, approval: BountyEpochApproval | undefined) {
  await navigator.locks.request('seed.bounty-epoch-approvals', async () => {
    const { [key]: _old, ...rest } = await stored.bountyEpochApprovals.get()
    await stored.bountyEpochApprovals.set(approval ? { ...rest, [key]: approval } : rest)
  })
}

/** Marks the slot's request `status` if it is still the one on record (a later epoch's request is left alone). */
async function markRequest(request: PendingRequest, status: BountyEpochApproval['status']) {
  const p = (request.params as [EpochPayment])[0]
  const key = keyOf(p)
  const current = (await stored.bountyEpochApprovals.get())[key]
  if (current?.requestId === request.id) await setApproval(key, { ...current, status })
}

/**
 * Reserves the epoch under the journal's `reservation`, or asks the person: resolves when it may be paid now
 * (allowed, or approved by the person), throws `EpochAwaitingApprovalError` while the person is (or is now)
 * asked, and the policy's refusal when it denies. Nothing stays reserved while the person is asked.
 */
export async function reserveEpochOrAsk(reservation: string, action: Action, payment: EpochPayment): Promise<void> {
  const verdict = await reserve(reservation, { ...action, committed: true })
  const key = keyOf(payment)
  const asked = (await stored.bountyEpochApprovals.get())[key]
  if (verdict.decision === 'allow') {
    if (asked) await setApproval(key, undefined)
    return
  }
  if (asked?.status === 'approved' && asked.reservation === reservation) {
    await setApproval(key, undefined)
    return
  }
  await actions.release(reservation)
  // Still in front of the person (a browser restart empties the session's requests: then it is asked again).
  const request = asked?.status === 'pending' ? await stored.requests.item(asked.requestId).get() : undefined
  if (request?.status === 'pending') throw new EpochAwaitingApprovalError(payment)
  const requestId = `bounty-epoch:${key}:${crypto.randomUUID()}`
  await setApproval(key, { requestId, reservation, status: 'pending' })
  const chainId = (await getDevnetConfig()).l1.chainId
  // The window is opened, not awaited: its outcome reaches the payer through the record (approveEpoch, whenRejected).
  void requestApproval(
    {
      id: requestId,
      origin: BOUNTIES_ORIGIN,
      method: BOUNTY_EPOCH_METHOD,
      params: [payment],
      chainId,
      askedBecause: { source: 'policy', reasons: verdict.reasons },
    },
    approveEpoch,
  ).catch(() => {}) // a rejection is recorded by whenRejected
  throw new EpochAwaitingApprovalError(payment)
}

/** The approval's executor: the slot's next tick pays (a fresh probe first, then the journal and the voucher). */
export async function approveEpoch(request: PendingRequest): Promise<null> {
  await markRequest(request, 'approved')
  return null
}

whenRejected(BOUNTY_EPOCH_METHOD, (request) => markRequest(request, 'refused'))

/** The slot's approval as the Agents screen shows it, if one was asked. */
export async function epochApprovals(): Promise<Record<string, BountyEpochApproval>> {
  return stored.bountyEpochApprovals.get()
}

/** Whether the person approved an epoch of this slot that is not paid yet (the payer pays it at its next tick). */
export async function epochApproved(bountyId: string, agentId: string): Promise<boolean> {
  return (await epochApprovals())[slotKey(BigInt(bountyId), BigInt(agentId))]?.status === 'approved'
}
