/**
 * The wallet's withdrawals: durable records in chrome.storage (they outlive the service worker and the browser),
 * found again from the rollup's own logs when one is missing (a worker stopped between the L2 send and the
 * record's write), each with its stage read from L1 now and the stages it was seen reaching (its timeline).
 */
import type { BridgeAsset, WithdrawalStage, WithdrawalView } from '@seed/agent/api'
import {
  BridgeNotConfiguredError,
  getWithdrawalStatus,
  L1_STANDARD_BRIDGE,
  L1StandardBridgeAbi,
  L2_STANDARD_BRIDGE,
  L2_TO_L1_MESSAGE_PASSER,
  L2ToL1MessagePasserAbi,
  RollupInboxAbi,
  SEED_PORTAL,
  SeedPortalAbi,
  type Withdrawal,
} from '@seed/contracts'
import { type Address, decodeFunctionData, type Hex, isAddressEqual, type Log, parseEventLogs } from 'viem'
import { getBlockNumber, getLogs } from 'viem/actions'
import { invalidParams } from '../../core/errors.ts'
import { stored, type WithdrawalRecord } from '../../core/storage.ts'
import { formatAmount } from './amounts.ts'
import type { BridgeContext } from './chains.ts'

/** SeedPortal.ChallengeStatus.Pending */
const CHALLENGE_PENDING = 1
/** Blocks per log query (rollup-lite answers at most 10,000). */
const LOG_WINDOW = 10_000n
const messagePassed = L2ToL1MessagePasserAbi.find((e) => e.type === 'event' && e.name === 'MessagePassed')!

export const withdrawalOf = (r: WithdrawalRecord): Withdrawal => ({
  nonce: BigInt(r.withdrawal.nonce),
  sender: r.withdrawal.sender,
  target: r.withdrawal.target,
  value: BigInt(r.withdrawal.value),
  gasLimit: BigInt(r.withdrawal.gasLimit),
  data: r.withdrawal.data,
})

/**
 * The record of a `MessagePassed` log, if the withdrawal is the rollup account's: ETH it sent itself, or Seed USD
 * the L2 bridge burnt for it (its L1 call names the account as `from`).
 */
function recordOf(log: Log, ctx: BridgeContext): WithdrawalRecord | undefined {
  const [event] = parseEventLogs({ abi: L2ToL1MessagePasserAbi, eventName: 'MessagePassed', logs: [log] })
  if (!event || !isAddressEqual(event.address, L2_TO_L1_MESSAGE_PASSER)) return undefined
  const { nonce, sender, target, value, gasLimit, data, withdrawalHash } = event.args
  let asset: BridgeAsset = 'eth'
  let amount = value
  let to = target
  if (isAddressEqual(sender, L2_STANDARD_BRIDGE) && isAddressEqual(target, L1_STANDARD_BRIDGE)) {
    const call = (() => {
      try {
        return decodeFunctionData({ abi: L1StandardBridgeAbi, data })
      } catch {
        return undefined
      }
    })()
    if (call?.functionName !== 'finalizeWithdrawal') return undefined
    const [, l1Token, from, recipient, tokens] = call.args as readonly [Address, Address, Address, Address, bigint]
    if (!isAddressEqual(from, ctx.rollupAccount) || !isAddressEqual(l1Token, ctx.usd)) return undefined
    asset = 'usd'
    amount = tokens
    to = recipient
  } else if (!isAddressEqual(sender, ctx.rollupAccount)) return undefined
  return {
    withdrawalHash,
    withdrawal: {
      nonce: nonce.toString(),
      sender,
      target,
      value: value.toString(),
      gasLimit: gasLimit.toString(),
      data,
    },
    asset,
    amount: amount.toString(),
    to,
    l2Tx: event.transactionHash!,
    l2Block: Number(event.blockNumber),
    timeline: [{ stage: 'initiated', at: Date.now() }],
  }
}

/** Records the rollup account's withdrawals among `logs` (a receipt's); returns the first one recorded. */
export async function recordWithdrawals(logs: readonly Log[], ctx: BridgeContext) {
  let first: WithdrawalRecord | undefined
  for (const log of logs) {
    const record = recordOf(log, ctx)
    if (!record) continue
    const item = stored.withdrawals.item(record.withdrawalHash)
    const existing = await item.get()
    if (!existing) await item.set(record)
    first ??= existing ?? record
  }
  return first
}

/** Reads the message passer's logs since the last scan, so no withdrawal of the account goes unrecorded. */
async function scanRollup(ctx: BridgeContext) {
  const head = await getBlockNumber(ctx.l2)
  let from = BigInt((await stored.withdrawalScan.get())?.nextBlock ?? 0)
  while (from <= head) {
    const to = from + LOG_WINDOW - 1n < head ? from + LOG_WINDOW - 1n : head
    const logs = await getLogs(ctx.l2, {
      address: L2_TO_L1_MESSAGE_PASSER,
      event: messagePassed,
      fromBlock: from,
      toBlock: to,
    })
    await recordWithdrawals(logs as Log[], ctx)
    from = to + 1n
    await stored.withdrawalScan.set({ nextBlock: Number(from) })
  }
}

/** The first posted batch whose L2 blocks reach `l2Block` (batches are contiguous: a binary search). */
export async function batchCovering(ctx: BridgeContext, l2Block: number): Promise<bigint | undefined> {
  const [count, , lastBlock] = await ctx.l1.readContract({
    address: ctx.inbox,
    abi: RollupInboxAbi,
    functionName: 'head',
  })
  if (count === 0n || lastBlock < BigInt(l2Block)) return undefined
  let low = 0n
  let high = count - 1n
  while (low < high) {
    const mid = (low + high) / 2n
    const batch = await ctx.l1.readContract({
      address: ctx.inbox,
      abi: RollupInboxAbi,
      functionName: 'batch',
      args: [mid],
    })
    if (batch.lastBlock >= BigInt(l2Block)) high = mid
    else low = mid + 1n
  }
  return low
}

export async function outputChallenged(ctx: BridgeContext, index: bigint) {
  const challenge = await ctx.l1.readContract({
    address: SEED_PORTAL,
    abi: SeedPortalAbi,
    functionName: 'challengeOf',
    args: [ctx.inbox, index],
  })
  return challenge.status === CHALLENGE_PENDING
}

type Standing = { stage: WithdrawalStage; outputIndex?: bigint; finalizableAt?: bigint; problem?: string }

/** Where the withdrawal stands on L1 now. */
async function standingOf(ctx: BridgeContext, record: WithdrawalRecord): Promise<Standing> {
  let status: Awaited<ReturnType<typeof getWithdrawalStatus>>
  try {
    status = await getWithdrawalStatus(ctx.l1, { inbox: ctx.inbox, withdrawal: withdrawalOf(record) })
  } catch (error) {
    if (!(error instanceof BridgeNotConfiguredError)) throw error
    const index = await batchCovering(ctx, record.l2Block)
    return {
      stage: index === undefined ? 'initiated' : 'output-posted',
      outputIndex: index,
      problem: "The rollup's inbox has no bridge config yet: nothing can be proven.",
    }
  }
  switch (status.status) {
    case 'finalized':
      return { stage: 'finalized' }
    case 'ready':
      return { stage: 'finalizable', outputIndex: status.index }
    case 'proven':
      return { stage: 'proven', outputIndex: status.index, finalizableAt: status.finalizableAt }
    case 'challenged':
      return {
        stage: 'challenged',
        outputIndex: status.index,
        problem: 'Its output is challenged: wait for the guardians.',
      }
    case 'output-invalidated':
      return {
        stage: 'output-invalidated',
        outputIndex: status.index,
        problem: 'Its output was rolled back: prove it again against a newer one.',
      }
  }
  const index = await batchCovering(ctx, record.l2Block)
  if (index === undefined) return { stage: 'initiated' }
  if (await outputChallenged(ctx, index)) {
    return { stage: 'challenged', outputIndex: index, problem: 'The output covering it is challenged.' }
  }
  return { stage: 'output-posted', outputIndex: index }
}

/** The record's view now; a stage not seen before joins its timeline (and the record). */
export async function viewOf(ctx: BridgeContext, record: WithdrawalRecord): Promise<WithdrawalView> {
  const standing = await standingOf(ctx, record)
  // L1's clock, not this machine's: the window closes by block timestamps.
  const l1Now = standing.finalizableAt === undefined ? undefined : (await ctx.l1.getBlock()).timestamp
  let timeline = record.timeline
  if (timeline.at(-1)?.stage !== standing.stage) {
    timeline = [...timeline, { stage: standing.stage, at: Date.now() }]
    const latest = (await stored.withdrawals.item(record.withdrawalHash).get()) ?? record
    await stored.withdrawals.item(record.withdrawalHash).set({ ...latest, timeline })
  }
  return {
    withdrawalHash: record.withdrawalHash,
    asset: record.asset,
    amount: formatAmount(record.asset, BigInt(record.amount)),
    to: record.to,
    l2Tx: record.l2Tx,
    l2Block: record.l2Block,
    stage: standing.stage,
    ...(standing.outputIndex === undefined ? {} : { outputIndex: Number(standing.outputIndex) }),
    ...(standing.finalizableAt === undefined || l1Now === undefined
      ? {}
      : {
          finalizableAt: Number(standing.finalizableAt),
          secondsLeft: Math.max(0, Number(standing.finalizableAt - l1Now)),
        }),
    ...(record.proveTx ? { proveTx: record.proveTx } : {}),
    ...(record.finalizeTx ? { finalizeTx: record.finalizeTx } : {}),
    ...(standing.problem ? { problem: standing.problem } : {}),
    timeline: timeline as WithdrawalView['timeline'],
  }
}

/** `params.withdrawalHash`, checked before anything is read: a 32-byte 0x-hex hash, or -32602. */
export function parseWithdrawalHash(params: unknown, method: string): Hex {
  const hash = (params as { withdrawalHash?: unknown } | undefined)?.withdrawalHash
  if (typeof hash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(hash))
    throw invalidParams(`${method}: withdrawalHash must be a 32-byte 0x-hex hash`)
  return hash as Hex
}

/** The record of `withdrawalHash` (after a scan, if it is not known yet), or -32602. */
export async function requireWithdrawal(ctx: BridgeContext, withdrawalHash: Hex): Promise<WithdrawalRecord> {
  const hash = withdrawalHash.toLowerCase() as Hex
  const find = async () =>
    (await stored.withdrawals.item(hash).get()) ??
    (await stored.withdrawals.all()).find((r) => r.withdrawalHash.toLowerCase() === hash)
  const found = (await find()) ?? (await scanRollup(ctx).then(find))
  if (!found) throw invalidParams(`No withdrawal ${withdrawalHash} of this wallet on its rollup.`)
  return found
}

/** Every withdrawal of the account, newest first, with its stage now. */
export async function listWithdrawals(ctx: BridgeContext): Promise<WithdrawalView[]> {
  await scanRollup(ctx)
  const records = (await stored.withdrawals.all()).sort((a, b) => b.l2Block - a.l2Block)
  return Promise.all(records.map((r) => viewOf(ctx, r)))
}

/** Saves what a step sent (the prove or finalize transaction) on the record. */
export async function noteStep(withdrawalHash: Hex, step: Pick<WithdrawalRecord, 'proveTx' | 'finalizeTx'>) {
  const item = stored.withdrawals.item(withdrawalHash)
  const record = await item.get()
  if (record) await item.set({ ...record, ...step })
}
