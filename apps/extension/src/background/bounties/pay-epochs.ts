/**
 * The bounty payer (issue 17, decision 0802), run on the rollup keep-alive alarm (every 30 s, so it outlives
 * the service worker): for each bounty this wallet posted and each slot that joined, once per epoch, probe
 * the operator against the embedded sequencer and, only if the probe passed, pay the epoch with a cumulative
 * `EpochVoucher` signed by the smart account (ERC-1271), through the pipeline: the epoch's price reserved
 * against the policy like any spend, the new total journaled before the signature leaves (voucher-journal.ts),
 * settled once the operator took it. A miss is not paid. Feedback follows each settlement, and a miss, as
 * 0802 says, each an L1 op of the wallet's own (bounty-op.ts).
 */
import type { Action } from '@seed/aa'
import { type Bounty, epochVoucherTypedData, readBounty, readBountySlot } from '@seed/contracts'
import {
  type FeedbackLedger,
  type ProbeMiss,
  payEpoch,
  probeReplica,
  reportMiss,
  reviewSettlements,
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
import { ensureOffscreen } from '../rollup/rollup.ts'
import { BOUNTIES_ORIGIN, finishBountyOp, sendBountyOp } from './bounty-op.ts'
import { closedForPayment } from './close-bounty.ts'
import { epochApproved, epochPayment, reserveEpochOrAsk } from './epoch-approval.ts'
import { payerClient, sequencerClient } from './payer-clients.ts'
import { refreshSlots } from './slots.ts'
import { slotKey, voucherJournal } from './voucher-journal.ts'

/** One lock name for every extension context: the journal's read-modify-write, and the bounty records'. */
const webLock =
  (name: string) =>
  <T>(fn: () => Promise<T>) =>
    navigator.locks.request(name, fn) as Promise<T>
const journal = voucherJournal(stored.bountyVouchers, webLock('seed.bounty-vouchers'))
const recordsLock = webLock('seed.bounties')

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
    // The payer's probes check replicas only (verify and pin have no probe yet): those bounties are not paid.
    if (bounty.kind !== 'replica' || closedForPayment(record, bounty, now)) continue
    const slots = await refreshSlots(l1, record, bounty)
    await saveSlots(record.bountyId, slots)
    for (const slot of Object.values(slots)) {
      if (slot.rpcUrl) await addReplicaOnce(slot.rpcUrl)
      // A total journaled but never delivered (the worker died waiting) is owed now: not an epoch later.
      const owed = await journal.undelivered(slotKey(bounty.bountyId, BigInt(slot.agentId)))
      const due =
        owed ||
        !slot.lastProbe ||
        now - slot.lastProbe.at >= Number(bounty.epochLength) * 1000 ||
        (await epochApproved(record.bountyId, slot.agentId))
      if (!slot.operatorUrl || !due) continue
      await paySlot(info.smartAccount, info.rollup.chainId, record, bounty, slot).catch((error: Error) =>
        updateSlot(record.bountyId, slot.agentId, (s) => ({ ...s, problem: error.message })),
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
) {
  await ensureOffscreen()
  const agentId = BigInt(slot.agentId)
  const probe = await probeReplica(sequencerClient(rollupChainId), {
    operatorUrl: slot.operatorUrl!,
    escrow: record.escrow,
    bountyId: bounty.bountyId,
    agentId,
    operator: slot.operator,
  })
  const at = Date.now()
  const probed = await updateSlot(record.bountyId, slot.agentId, (s) => ({
    ...s,
    probes: s.probes + 1,
    passed: s.passed + (probe.passed ? 1 : 0),
    lastProbe: probe.passed ? { at, passed: true } : { at, passed: false, miss: probe.miss, details: probe.details },
    problem: undefined,
  }))
  const config = await getDevnetConfig()
  const client = payerClient(l1Chain(config), account, {
    signTypedData: (typedData) => signVoucher(record.escrow, bounty, agentId, typedData),
    sendTransaction: (tx) => sendBountyOp(account, tx),
  })
  if (!probe.passed) {
    // A miss is reported once, when the slot goes from serving to missing (each miss would be an L1 op).
    if (slot.lastProbe?.passed !== false) await feedback(client, record, bounty, probed, probe.miss)
    return
  }
  const key = slotKey(bounty.bountyId, agentId)
  const onChain = await readBountySlot(client, { escrow: record.escrow, bountyId: bounty.bountyId, agentId })
  const next = await journal.next(key, {
    price: bounty.pricePerEpoch,
    allotment: bounty.allotment,
    claimed: onChain?.claimed ?? 0n,
    // Above the approval threshold the person is asked, once per slot; the price was budgeted when posted.
    reserve: (reservation) =>
      reserveEpochOrAsk(reservation, epochAction(account, bounty, slot), epochPayment(bounty, slot)),
  })
  await payEpoch(client, {
    escrow: record.escrow,
    bounty,
    agentId,
    operatorUrl: slot.operatorUrl!,
    probe,
    paidSoFar: next.cumulative - bounty.pricePerEpoch,
  })
  await journal.delivered(key, next.cumulative)
  await actions.settle(next.reservation)
  await updateSlot(record.bountyId, slot.agentId, (s) => ({ ...s, lastPaidAt: Date.now() }))
  await recordActivity({
    kind: 'signature',
    origin: BOUNTIES_ORIGIN,
    chainId: config.l1.chainId,
    summary: `Bounty #${bounty.bountyId}: paid agent #${agentId} an epoch (${formatUnits(next.cumulative, 6)} USDS in all)`,
    status: 'success',
  })
  await feedback(client, record, bounty, probed)
}

/** An epoch's price as the policy sees it: a transfer of the bounty's token to the agent's wallet. */
function epochAction(account: Address, bounty: Bounty, slot: BountySlotRecord): Action {
  return {
    requestedBy: BOUNTIES_ORIGIN,
    account,
    calls: [
      {
        to: bounty.token,
        data: encodeFunctionData({
          abi: erc20Abi,
          functionName: 'transfer',
          args: [slot.payee, bounty.pricePerEpoch],
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
    await updateSlot(record.bountyId, slot.agentId, (s) => ({
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

async function saveSlots(bountyId: string, slots: Record<string, BountySlotRecord>) {
  await recordsLock(async () => {
    const all = await stored.bounties.get()
    const bounty = all[bountyId]
    if (!bounty) return
    // Fields the payer wrote since `slots` was read (another tick) stay: only new slots and endpoints come in.
    const merged = Object.fromEntries(
      Object.entries(slots).map(([id, s]) => [id, { ...s, ...bounty.slots[id], ...pickEndpoints(s) }]),
    )
    await stored.bounties.set({ ...all, [bountyId]: { ...bounty, slots: merged } })
  })
}

const pickEndpoints = (s: BountySlotRecord) => ({
  ...(s.operatorUrl ? { operatorUrl: s.operatorUrl } : {}),
  ...(s.rpcUrl ? { rpcUrl: s.rpcUrl } : {}),
})

async function updateSlot(
  bountyId: string,
  agentId: string,
  change: (slot: BountySlotRecord) => BountySlotRecord,
): Promise<BountySlotRecord> {
  return recordsLock(async () => {
    const all = await stored.bounties.get()
    const bounty = all[bountyId]
    const slot = bounty?.slots[agentId]
    if (!bounty || !slot) throw new Error(`bounty ${bountyId} has no slot ${agentId}`)
    const next = change(slot)
    await stored.bounties.set({ ...all, [bountyId]: { ...bounty, slots: { ...bounty.slots, [agentId]: next } } })
    return next
  })
}

/** A joined operator's replica becomes one of the wallet's replicas (reads can route there, decision 0803). */
async function addReplicaOnce(url: string) {
  if ((await stored.replicas.get()).some((r) => r.url === url)) return
  await addReplica({ url }).catch((error: Error) => console.warn('bounty replica:', error.message))
}
