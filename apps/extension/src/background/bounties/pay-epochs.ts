/**
 * The bounty payer (issue 17, decision 0802), run on the rollup keep-alive alarm (every 30 s, so it outlives
 * the service worker): for each bounty this wallet posted and each slot that joined, once per epoch, probe
 * the operator (`probeOperator`, by kind: a replica against the embedded sequencer, a verifier for the window
 * of batches asked of it, a pinner for a random batch's bytes; slot-work.ts) and, only if the probe passed,
 * pay the units it earned (an epoch, a window, the batches held beyond those paid) with a cumulative
 * `EpochVoucher` signed by the smart account (ERC-1271), through the pipeline: the units' price reserved
 * against the policy like any spend, the new total journaled before the signature leaves (voucher-journal.ts),
 * settled once the operator took it. A miss is not paid; a miss within the slot's first epoch (catching up)
 * or while a verifier's response is awaited is pending: neither paid nor reported. Feedback follows each
 * settlement, and a miss, as 0802 says, each an L1 op of the wallet's own (bounty-op.ts).
 */
import type { Action } from '@seed/aa'
import { type Bounty, epochVoucherTypedData, readBounty, readBountySlot } from '@seed/contracts'
import {
  type FeedbackLedger,
  type OperatorProbeResult,
  type ProbeMiss,
  payEpoch,
  probeOperator,
  reportMiss,
  reviewSettlements,
  type VerifyWindow,
} from '@seed/operator/payer'
import {
  type Address,
  bytesToHex,
  encodeFunctionData,
  erc20Abi,
  formatUnits,
  type Hex,
  isAddressEqual,
  type TypedDataDefinition,
} from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import { send } from '../../core/messenger.ts'
import type { BountySlotRecord, PostedBounty } from '../../core/records.ts'
import { stored } from '../../core/storage.ts'
import { accountService } from '../account/account.ts'
import { l1Chain, l1Client } from '../account/clients.ts'
import { recordActivity } from '../actions/activity.ts'
import { actions } from '../actions/policy.ts'
import { activeRegistries } from '../agents/registries.ts'
import { addReplica } from '../rollup/replicas.ts'
import { BOUNTIES_ORIGIN, finishBountyOp, sendBountyOp } from './bounty-op.ts'
import { closedForPayment } from './close-bounty.ts'
import { epochApproved, epochPayment, reserveEpochOrAsk } from './epoch-approval.ts'
import { payerClient } from './payer-clients.ts'
import { journal, type SlotUpdate, saveSlots, updateSlot } from './slot-records.ts'
import { slotWork } from './slot-work.ts'
import { refreshSlots } from './slots.ts'
import { awaitingResponse, closeWindow, windowName } from './verify-windows.ts'
import { slotKey } from './voucher-journal.ts'

/** This worker's tick in progress (a tick may outlast the 30 s alarm: the next one then skips). */
let running: Promise<void> | undefined

export function payBounties(now = Date.now()): Promise<void> {
  running ??= payAll(now).finally(() => {
    running = undefined
  })
  return running
}

async function payAll(now: number) {
  const posted = Object.values(await stored.bounties.get())
  if (!posted.length || !(await accountService.isUnlocked())) return // signing needs the unlocked key
  const info = await accountService.info()
  if (!info) return
  await finishBountyOp(info.smartAccount)
  const l1 = await l1Client()
  for (const record of posted) {
    const bounty = await readBounty(l1, { escrow: record.escrow, bountyId: BigInt(record.bountyId) })
    if (closedForPayment(record, bounty, now)) continue
    const slots = await refreshSlots(l1, record, bounty)
    await saveSlots(record.bountyId, slots)
    for (const slot of Object.values(slots)) {
      if (slot.rpcUrl && bounty.kind === 'replica') await addReplicaOnce(slot.rpcUrl)
      // Due: a total journaled but never delivered (the worker died waiting) is owed now, not an epoch later; a
      // pending miss is probed again at the next tick, and an epoch the person approved is paid at once; a
      // counted probe waits an epoch.
      const owed = await journal.undelivered(slotKey(bounty.bountyId, BigInt(slot.agentId)))
      const due =
        owed ||
        !slot.lastProbe ||
        slot.pendingProbe ||
        now - slot.lastProbe.at >= Number(bounty.epochLength) * 1000 ||
        (await epochApproved(record.bountyId, slot.agentId))
      if (!slot.operatorUrl || !due) continue
      const update = updateSlot(record.bountyId, slot.agentId)
      await paySlot(info.smartAccount, info.rollup.chainId, record, bounty, slot, update).catch((error: Error) =>
        update((s) => ({ ...s, problem: error.message })),
      )
    }
  }
}

async function paySlot(
  account: Address,
  rollupChainId: number,
  record: PostedBounty,
  bounty: Bounty,
  slot: BountySlotRecord,
  update: SlotUpdate,
) {
  const agentId = BigInt(slot.agentId)
  const config = await getDevnetConfig()
  const client = payerClient(l1Chain(config), account, {
    signTypedData: (typedData) => signVoucher(record.escrow, bounty, agentId, typedData),
    sendTransaction: (tx) => sendBountyOp(account, tx),
  })
  const work = await slotWork(client, { bounty, record, slot, account, rollupChainId, update })
  if (!work) return // no batch posted since a verify slot's last window (or ever, for a pinner): nothing to ask yet
  const probe = await probeOperator(client, {
    bounty,
    escrow: record.escrow,
    agentId,
    operator: slot.operator,
    operatorUrl: slot.operatorUrl!,
    ...work,
  })
  const at = Date.now()
  const pending = probe.passed ? undefined : pendingWhy(bounty, slot, probe, at)
  if (pending && !probe.passed) {
    const { miss, details } = probe
    await update((s) => ({
      ...s,
      pendingProbe: { at, passed: false, miss, details, why: pending },
      problem: undefined,
    }))
    return
  }
  const probed = await update((s) => ({
    ...s,
    probes: s.probes + 1,
    passed: s.passed + (probe.passed ? 1 : 0),
    lastProbe: probe.passed ? { at, passed: true } : { at, passed: false, miss: probe.miss, details: probe.details },
    pendingProbe: undefined,
    problem: undefined,
  }))
  if (!probe.passed) {
    if (work.window) await update((s) => closeWindow(s, work.window!)) // a window is judged once: a miss drops it
    // A miss is reported once, when the slot goes from serving to missing (each miss would be an L1 op).
    if (slot.lastProbe?.passed !== false) await feedback(client, record, bounty, probed, probe.miss)
    return
  }
  await pay(client, { account, record, bounty, slot, probe, window: work.window, update })
  await feedback(client, record, bounty, probed)
}

/**
 * Why a miss does not count yet: the slot joined less than an epoch ago (a replica syncing, a pinner fetching
 * the batches), or the verifier has until an epoch after the request to answer on chain. Undefined: it counts.
 */
function pendingWhy(
  bounty: Bounty,
  slot: BountySlotRecord,
  probe: OperatorProbeResult & { passed: false },
  at: number,
): NonNullable<BountySlotRecord['pendingProbe']>['why'] | undefined {
  if (probe.miss === 'validationResponse' && awaitingResponse(slot, bounty, at))
    return 'awaiting the validation response'
  if (slot.joinedAt !== undefined && at - slot.joinedAt < Number(bounty.epochLength) * 1000) return 'catching up'
  return undefined
}

/** Pays what a passed probe earned: journaled, reserved, signed, delivered, settled. */
async function pay(
  client: ReturnType<typeof payerClient>,
  p: {
    account: Address
    record: PostedBounty
    bounty: Bounty
    slot: BountySlotRecord
    probe: OperatorProbeResult & { passed: true }
    window: VerifyWindow | undefined
    update: SlotUpdate
  },
) {
  const { bounty, record, window } = p
  const agentId = BigInt(p.slot.agentId)
  const key = slotKey(bounty.bountyId, agentId)
  const onChain = await readBountySlot(client, { escrow: record.escrow, bountyId: bounty.bountyId, agentId })
  const paying = window && windowName(window)
  // A worker that died between the last delivery and its settlement left that reservation open: settle it now.
  const delivered = await journal.deliveredReservation(key)
  if (delivered) await actions.settle(delivered)
  const next = await journal.next(key, {
    price: bounty.pricePerEpoch,
    units: p.probe.units,
    allotment: bounty.allotment,
    claimed: onChain?.claimed ?? 0n,
    ...(paying && { paying }),
    // Above the approval threshold the person is asked, once per slot; the price was budgeted when posted.
    reserve: (reservation, amount) =>
      reserveEpochOrAsk(
        reservation,
        epochAction(p.account, bounty, p.slot, amount),
        epochPayment(bounty, p.slot, amount / bounty.pricePerEpoch),
      ),
  })
  if (!next) {
    // Nothing new: a pinner holds no batch beyond those paid, or this window's voucher was delivered already.
    if (window) await p.update((s) => closeWindow(s, window))
    return
  }
  await payEpoch(client, {
    escrow: record.escrow,
    bounty,
    agentId,
    operatorUrl: p.slot.operatorUrl!,
    probe: p.probe,
    paidSoFar: next.cumulative - bounty.pricePerEpoch * next.units,
    units: next.units,
  })
  await journal.delivered(key, next.cumulative)
  await actions.settle(next.reservation)
  // A re-signed total may pay an earlier window: this one stays open until its own voucher.
  if (window && next.paying === paying) await p.update((s) => closeWindow(s, window))
  await p.update((s) => ({ ...s, lastPaidAt: Date.now() }))
  const config = await getDevnetConfig()
  await recordActivity({
    kind: 'signature',
    origin: BOUNTIES_ORIGIN,
    chainId: config.l1.chainId,
    summary: `Bounty #${bounty.bountyId}: paid agent #${agentId} ${paidFor(bounty, next)} (${formatUnits(next.cumulative, 6)} USDS in all)`,
    status: 'success',
  })
}

/** What a voucher paid for, in the bounty's unit. */
function paidFor(bounty: Bounty, next: { units: bigint; paying?: string }) {
  switch (bounty.kind) {
    case 'replica':
      return next.units === 1n ? 'an epoch' : `${next.units} epochs`
    case 'verify':
      return `the window of batches ${next.paying ?? '?'}`
    case 'pin':
      return `${next.units} pinned batch${next.units === 1n ? '' : 'es'}`
  }
}

/** A voucher's added amount as the policy sees it: a transfer of the bounty's token to the agent's wallet. */
function epochAction(account: Address, bounty: Bounty, slot: BountySlotRecord, amount: bigint): Action {
  return {
    requestedBy: BOUNTIES_ORIGIN,
    account,
    calls: [
      {
        to: bounty.token,
        data: encodeFunctionData({
          abi: erc20Abi,
          functionName: 'transfer',
          args: [slot.payee, amount],
        }),
      },
    ],
    signature: { kind: 'typedData', primaryType: 'EpochVoucher' },
    note: `sign EpochVoucher (bounty #${bounty.bountyId}, agent #${slot.agentId})`,
  }
}

/**
 * The one signature the payer makes: the journaled total for this slot, in the escrow's domain, and nothing
 * else (what payEpoch asks is checked against what was journaled before the account signs it).
 */
async function signVoucher(
  escrow: Address,
  bounty: Bounty,
  agentId: bigint,
  asked: TypedDataDefinition & { primaryType: string },
): Promise<Hex> {
  const entry = (await stored.bountyVouchers.get())[slotKey(bounty.bountyId, agentId)]
  const message = asked.message as Record<string, unknown> | undefined
  const domain = asked.domain as { verifyingContract?: Address } | undefined
  if (
    !entry ||
    asked.primaryType !== 'EpochVoucher' ||
    !domain?.verifyingContract ||
    !isAddressEqual(domain.verifyingContract, escrow) ||
    BigInt(String(message?.bountyId)) !== bounty.bountyId ||
    BigInt(String(message?.agentId)) !== agentId ||
    BigInt(String(message?.cumulativeAmount)) !== BigInt(entry.signed)
  ) {
    throw new ProviderRpcError(ErrorCode.unauthorized, 'The bounty payer signs only the journaled total of this slot.')
  }
  const config = await getDevnetConfig()
  return accountService.signTypedData(
    epochVoucherTypedData({
      chainId: config.l1.chainId,
      escrow,
      bountyId: bounty.bountyId,
      agentId,
      cumulativeAmount: BigInt(entry.signed),
    }),
  )
}

/** Feedback per settlement (and for a miss, citing the latest one), published through the Worker's Helia node. */
async function feedback(
  client: ReturnType<typeof payerClient>,
  record: PostedBounty,
  bounty: Bounty,
  slot: BountySlotRecord,
  miss?: ProbeMiss,
) {
  const { identity, reputation } = await activeRegistries()
  const ledger: FeedbackLedger = {
    reviewed: Object.fromEntries(
      Object.entries(slot.reviewed).map(([tx, r]) => [
        tx,
        { feedbackIndex: BigInt(r.feedbackIndex), value: BigInt(r.value) },
      ]),
    ),
  }
  const p = {
    escrow: record.escrow,
    identity,
    reputation,
    bountyId: bounty.bountyId,
    agentId: BigInt(slot.agentId),
    payee: slot.payee,
    ...(slot.operatorUrl ? { endpoint: slot.operatorUrl } : {}),
    publish: async (bytes: Uint8Array) => {
      const { cid } = await send('rollup:publishFile', { hex: bytesToHex(bytes) })
      return `ipfs://${cid}`
    },
    ledger,
    fromBlock: BigInt(record.fromBlock),
  }
  try {
    if (miss) await reportMiss(client, { ...p, miss })
    else await reviewSettlements(client, p)
  } finally {
    await updateSlot(
      record.bountyId,
      slot.agentId,
    )((s) => ({
      ...s,
      reviewed: Object.fromEntries(
        Object.entries(ledger.reviewed).map(([tx, r]) => [
          tx,
          { feedbackIndex: r.feedbackIndex.toString(), value: r.value.toString() },
        ]),
      ),
    }))
  }
}

/** A joined operator's replica becomes one of the wallet's replicas (reads can route there, decision 0803). */
async function addReplicaOnce(url: string) {
  if ((await stored.replicas.get()).some((r) => r.url === url)) return
  await addReplica({ url }).catch((error: Error) => console.warn('bounty replica:', error.message))
}
