/**
 * Keeps the rollup batcher's L1 blob-gas balance up (decision 0416): on the rollup keep-alive alarm
 * the background reads the batcher EOA's balance and, below `BATCHER_LOW_BALANCE`, sends a user op
 * from the smart account refilling it — only while unlocked, only if the wallet policy allows it
 * (its spend, max fee included, reserved in the action pipeline until it lands or fails).
 * The signed op is journaled in chrome.storage.local before it leaves the wallet, so a restarted
 * service worker finishes the same op (EntryPoint nonce: it lands once) instead of signing another.
 */
import { type Action, UserOperationRevertedError } from '@seed/aa'
import { type Address, formatEther, type Hex } from 'viem'
import { entryPoint07Abi } from 'viem/account-abstraction'
import { getDevnetConfig } from '../../core/config.ts'
import type { BatcherTopUpView } from '../../core/services.ts'
import { type SignedUserOp, stored, type TopUpCheck, type TopUpJournal } from '../../core/storage.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import { submitUserOperation, waitForUserOperation } from '../account/seed-account.ts'
import { recordActivity } from '../actions/activity.ts'
import { actions, PolicyDeniedError, policyVerdict } from '../actions/policy.ts'
import { signUserOpAction } from '../actions/user-op-action.ts'
import { BATCHER_LOW_BALANCE, planTopUp, type TopUpPlan } from './batcher-topup-plan.ts'

/** How long one check waits for the bundle; a slower one is picked up again by the next alarm. */
const RECEIPT_TIMEOUT_MS = 60_000

type Journal = TopUpJournal

function loadJournal(): Promise<Journal | undefined> {
  return stored.batcherTopUp.get()
}

async function saveJournal(journal: Journal) {
  await stored.batcherTopUp.set(journal)
}

/** A top-up's spend is reserved under its journal id until it lands (settled) or fails (released). */
const reservationOf = (journal: Pick<Journal, 'id'>) => `topup:${journal.id}`

function topUpAction(account: Address, batcher: Address, amount: bigint): Action {
  return { requestedBy: 'Seed', account, calls: [{ to: batcher, value: amount }], note: 'batcher top-up' }
}

/** The batcher's balance and the block it was read at (a top-up's own block is compared to it). */
async function readBalance(batcher: Address) {
  const l1 = await l1Client()
  const balanceBlock = await l1.getBlockNumber()
  return { balance: await l1.getBalance({ address: batcher, blockNumber: balanceBlock }), balanceBlock }
}

async function plan(batcher: Address): Promise<TopUpPlan & { balance: bigint }> {
  const { balance, balanceBlock } = await readBalance(batcher)
  const last = await loadJournal()
  const unlocked = await accountService.isUnlocked()
  return { ...planTopUp({ batcher, balance, balanceBlock, last, unlocked }), balance }
}

/**
 * Whether a signed op is on chain, can never be (another op of the account used its nonce — e.g. a
 * dApp send signed while it waited), or may still land.
 */
async function onChainFate({ userOp, userOpHash, entryPoint }: SignedUserOp) {
  const l1 = await l1Client()
  const [landed] = await l1.getContractEvents({
    address: entryPoint,
    abi: entryPoint07Abi,
    eventName: 'UserOperationEvent',
    args: { userOpHash },
    fromBlock: 0n,
  })
  if (landed) return 'landed'
  const nonce = BigInt(userOp.nonce)
  const next = await l1.readContract({
    address: entryPoint,
    abi: entryPoint07Abi,
    functionName: 'getNonce',
    args: [userOp.sender, nonce >> 64n],
  })
  return next > nonce ? 'dropped' : 'pending'
}

/** Submits the journaled op (again, if a previous worker already did) and settles it once it lands. */
async function finish(journal: Journal, account: Address) {
  const op = journal.op
  if (!op) throw new Error('journaled top-up has no signed op')
  try {
    await submitUserOperation(op)
  } catch (error) {
    // Already sent once: the bundler knows it or already included it; its receipt still comes.
    if (journal.status !== 'submitted') {
      const message = (error as Error).message
      const fate = await onChainFate(op)
      // Dropped (its nonce went to another op), or refused by the EntryPoint (AAxx) and not on chain: final.
      if (fate === 'dropped' || (fate === 'pending' && /\bAA\d\d\b/.test(message))) {
        await saveJournal({ ...journal, status: 'failed', error: message, op: undefined, at: Date.now() })
        await actions.release(reservationOf(journal))
        return
      }
      // Anything else (bundler unreachable…) may have reached it: the next alarm re-sends the same op.
      if (fate === 'pending') return
    }
  }
  if (journal.status === 'signed') {
    journal = { ...journal, status: 'submitted' }
    await saveJournal(journal)
  }
  let sent: Awaited<ReturnType<typeof waitForUserOperation>>
  try {
    sent = await waitForUserOperation(journal.userOpHash, RECEIPT_TIMEOUT_MS)
  } catch (error) {
    // Only a receipt saying it reverted settles it as failed; a timeout or an unreachable bundler
    // leaves it in flight (the next alarm waits again), so no second top-up can be signed meanwhile.
    let reason = error instanceof UserOperationRevertedError ? error.message : undefined
    if (!reason && (await onChainFate(op)) === 'dropped') {
      reason = 'dropped: another user op of the smart account took its nonce'
    }
    if (!reason) return
    await saveJournal({ ...journal, status: 'failed', error: reason, op: undefined, at: Date.now() })
    // A reverted op paid its fee (kept, at its maximum); a dropped one cost nothing.
    if (error instanceof UserOperationRevertedError) await actions.settle(reservationOf(journal))
    else await actions.release(reservationOf(journal))
    await recordTopUpActivity(journal, 'failed')
    return
  }
  const l1 = await l1Client()
  const receipt = await l1.getTransactionReceipt({ hash: sent.transactionHash })
  const settled: Journal = {
    ...journal,
    status: 'confirmed',
    transactionHash: sent.transactionHash,
    l1Block: receipt.blockNumber.toString(),
    op: undefined,
  }
  await saveJournal(settled)
  // Settling an already settled reservation (a re-run after a restart) changes nothing: counted once.
  await actions.settle(reservationOf(journal), {
    ...topUpAction(account, journal.batcher, BigInt(journal.amount)),
    feePaid: sent.actualGasCost,
  })
  await recordTopUpActivity(settled, 'success')
}

async function recordTopUpActivity(journal: Journal, status: 'success' | 'failed') {
  await recordActivity({
    kind: 'userOp',
    origin: 'Seed',
    chainId: (await getDevnetConfig()).l1.chainId,
    summary: `${status === 'success' ? 'Topped up' : 'Failed to top up'} the rollup batcher with ${formatEther(BigInt(journal.amount))} ETH`,
    hash: journal.transactionHash,
    userOpHash: journal.userOpHash,
    status,
  })
}

async function check(batcher: Address): Promise<TopUpCheck | undefined> {
  const info = await accountService.info()
  if (!info) return undefined
  const next = await plan(batcher)
  if (next.kind === 'resume') {
    await finish(next.record as Journal, info.smartAccount)
    return { at: Date.now(), outcome: 'resume' }
  }
  if (next.kind !== 'send') return { at: Date.now(), outcome: next.kind }
  const action = topUpAction(info.smartAccount, batcher, next.amount)
  const record: Journal = {
    id: crypto.randomUUID(),
    batcher,
    amount: next.amount.toString(),
    status: 'signed',
    userOpHash: '0x',
    at: Date.now(),
  }
  const reservation = reservationOf(record)
  // No approval window for the wallet's own housekeeping: anything short of 'allow' waits (the status says why).
  const verdict = await actions.reserve(reservation, action)
  if (verdict.decision !== 'allow') {
    await actions.release(reservation)
    return { at: Date.now(), outcome: 'refused', reason: verdict.reasons.map((r) => r.message).join(' ') }
  }
  let journal = record
  try {
    await signUserOpAction({
      reservation,
      action,
      calls: [{ to: batcher, value: next.amount }],
      touch: false,
      journal: async (step) => {
        journal = { ...record, userOpHash: step.userOpHash, op: step }
        await saveJournal(journal)
      },
    })
  } catch (error) {
    await actions.release(reservation)
    if (!(error instanceof PolicyDeniedError)) throw error
    return { at: Date.now(), outcome: 'refused', reason: error.verdict.reasons.map((r) => r.message).join(' ') }
  }
  await finish(journal, info.smartAccount)
  return { at: Date.now(), outcome: 'send' }
}

let running: Promise<void> | undefined

/** One check at a time per worker (alarm ticks may overlap a slow bundle); errors wait for the next tick. */
export function checkBatcherTopUp(batcher: Address): Promise<void> {
  running ??= check(batcher)
    .then((done) => done && stored.batcherTopUpCheck.set(done))
    .catch((error: Error) => console.warn('batcher top-up check failed:', error.message))
    .finally(() => {
      running = undefined
    })
  return running
}

/** At service-worker start: a top-up a previous instance left in flight is finished now, not at the next alarm. */
export async function resumeBatcherTopUp() {
  const journal = await loadJournal()
  // A worker that died between reserving and journaling left a reservation no journal names: give it back.
  const inFlight = journal?.status === 'signed' || journal?.status === 'submitted' ? reservationOf(journal) : undefined
  for (const id of await actions.reservations()) {
    if (id.startsWith(reservationOf({ id: '' })) && id !== inFlight) await actions.release(id)
  }
  if (journal?.status === 'signed' || journal?.status === 'submitted') await checkBatcherTopUp(journal.batcher)
}

/** What the rollup screen shows: the last top-up and, when the balance is low, what happens next and why. */
export async function batcherTopUpView(batcher: Address, balance?: bigint): Promise<BatcherTopUpView> {
  const journal = await loadJournal()
  const last =
    journal && journal.batcher.toLowerCase() === batcher.toLowerCase()
      ? {
          amountEth: formatEther(BigInt(journal.amount)),
          at: journal.at,
          status: journal.status,
          transactionHash: journal.transactionHash as Hex | undefined,
          error: journal.error,
        }
      : undefined
  const view: BatcherTopUpView = { lowBalanceEth: formatEther(BATCHER_LOW_BALANCE), last }
  if (balance === undefined) return view
  const info = await accountService.info()
  const next = await plan(batcher).catch(() => undefined)
  if (!info || !next) return view
  if (next.kind === 'resume') view.status = `Topping up the batcher with ${last?.amountEth} ETH…`
  else if (next.kind === 'locked') view.status = 'Batcher low on ETH: top-up waits for unlock'
  else if (next.kind === 'failed') {
    view.status = `Batcher low on ETH: the last top-up failed (${last?.error ?? 'reverted'}); next try at ${new Date(next.retryAt).toLocaleTimeString()}`
  } else if (next.kind === 'send') {
    const verdict = await policyVerdict(topUpAction(info.smartAccount, batcher, next.amount))
    view.status =
      verdict.decision === 'allow'
        ? `Batcher low on ETH: topping up ${formatEther(next.amount)} ETH at the next check`
        : `Batcher low on ETH: top-up refused by policy (${verdict.reasons.map((r) => r.message).join(' ')})`
  }
  return view
}
