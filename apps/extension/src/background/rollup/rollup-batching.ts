/**
 * Sets up batching for the agent's embedded rollup (decision 0405): a batcher key derived from the
 * vault's owner key, the agent's own RollupInbox (created by its smart account through the
 * RollupInboxFactory, which also funds the batcher's blob gas) and its bridge config (decision 0702),
 * in one user op, then the setup handed to the rollup Worker, which keeps it in IndexedDB, batches
 * and includes the portal's deposits from then on.
 */

import { type Action, UserOperationRevertedError } from '@seed/aa'
import { RollupInboxAbi, RollupInboxFactoryAbi } from '@seed/contracts'
import { type Address, parseEther } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { getDevnetConfig } from '../../core/config.ts'
import { send } from '../../core/messenger.ts'
import type { RollupStatus } from '../../core/services.ts'
import { type ActivityItem, stored } from '../../core/storage.ts'
import type { BatchingState } from '../../rollup/worker-api.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import { batcherKeyOf, guardianKeyOf } from '../account/derived-keys.ts'
import { LockedError } from '../account/seed-account.ts'
import { recordActivity } from '../actions/activity.ts'
import { actions, PolicyDeniedError, reserve } from '../actions/policy.ts'
import { runUserOpAction, type UserOpStep } from '../actions/user-op-action.ts'
import { assertFundedFor } from '../funding/funding.ts'
import { batcherTopUpView, checkBatcherTopUp } from './batcher-topup.ts'
import { startBatchingCalls } from './inbox-call.ts'
import { ensureOffscreen, rollupService } from './rollup.ts'

export class BatchingSetupError extends Error {
  override name = 'BatchingSetupError'
  constructor(readonly shortMessage: string) {
    super(shortMessage)
  }
}

export async function batchingState(): Promise<BatchingState> {
  await ensureOffscreen()
  return send('rollup:batching', undefined)
}

/** The keep-alive alarm's batcher check: refills its blob gas when low (batcher-topup.ts). */
export async function topUpBatcherIfLow() {
  const state = await batchingState().catch(() => undefined)
  if (state?.enabled) await checkBatcherTopUp(state.batcher)
}

/** The rollup screen's status, with the batcher's top-up state. */
export async function rollupStatus(): Promise<RollupStatus> {
  const status = await rollupService.status()
  if (status.batching) {
    const { batcher, batcherBalanceEth } = status.batching
    const balance = batcherBalanceEth === undefined ? undefined : parseEther(batcherBalanceEth)
    status.batching.topUp = await batcherTopUpView(batcher, balance).catch(() => undefined)
  }
  return status
}

/**
 * Idempotent: creates the inbox if the agent has none and registers its bridge config if it has none (one user
 * op, or a follow-up one for an inbox made before the bridge), then (re)configures the Worker.
 */
export async function enableBatching(): Promise<BatchingState> {
  const session = await stored.unlocked.get()
  if (!session) throw new LockedError()
  const info = await accountService.info()
  if (!info) throw new BatchingSetupError('No account: create or import one first.')
  const config = await getDevnetConfig()
  const factory = config.contracts.rollupInboxFactory as Address | undefined
  if (!factory) throw new BatchingSetupError('This devnet has no RollupInboxFactory: restart it with `pnpm dev`.')
  const l1 = await l1Client()
  const batcherKey = batcherKeyOf(session.privateKey)
  const batcher = privateKeyToAddress(batcherKey)
  const readInbox = () =>
    l1.readContract({
      address: factory,
      abi: RollupInboxFactoryAbi,
      functionName: 'inboxOf',
      args: [info.smartAccount],
    })
  const setup = await startBatchingCalls(l1, {
    factory,
    smartAccount: info.smartAccount,
    batcher,
    guardian: privateKeyToAddress(guardianKeyOf(session.privateKey)),
    network: await stored.activeNetwork.get(),
    devnetForceWindow: config.bridgeForceWindow,
  })
  const { exists, calls } = setup
  let { inbox } = setup
  const journaled = await stored.batchingSetup.get()
  if (calls.length > 0 || journaled) {
    // An empty new wallet is sent to the Fund screen, not to the bundler's "insufficient funds" (decision 0432).
    if (!journaled) await assertFundedFor('startBatching')
    // The funding and the proposer's bond leave the smart account like any send: same kill switch, caps and
    // 24 h budget (decisions 0415, 0702).
    const action: Action = { requestedBy: 'Seed', account: info.smartAccount, calls, note: 'start batching' }
    const sent = await setUpInbox(action, config.l1.chainId)
    await recordActivity({
      kind: 'userOp',
      origin: 'Seed',
      chainId: config.l1.chainId,
      summary: exists
        ? "Registered the rollup's bridge config (deposits open)"
        : 'Created the rollup inbox, funded the batcher and registered the bridge config',
      hash: sent.transactionHash,
      userOpHash: sent.userOpHash,
      status: 'success',
    })
    inbox = await readInbox()
  }
  const sequencer = await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'sequencer' })
  if (sequencer !== batcher) {
    throw new BatchingSetupError(`The inbox ${inbox} accepts batches from ${sequencer}, not this wallet's batcher.`)
  }
  await ensureOffscreen()
  return send('rollup:configureBatcher', {
    privateKey: batcherKey,
    inbox,
    l1RpcUrl: config.l1.rpcUrl,
    l1ChainId: config.l1.chainId,
    ipfsUrl: config.services.ipfsHttp,
    ipfsPeer: config.services.ipfs,
    beaconUrl: config.services.beacon,
  })
}

async function setUpInbox(action: Action, chainId: number) {
  const journaled = await stored.batchingSetup.get()
  if (!journaled) {
    // Nothing in flight: a reservation left by a worker that died before journaling is given back.
    for (const id of await actions.reservations()) if (id.startsWith('batching:')) await actions.release(id)
  }
  const reservation = journaled?.reservation ?? `batching:${crypto.randomUUID()}`
  let submitted = journaled?.step?.submitted === true
  const journal = async (step: UserOpStep) => {
    submitted = step.submitted
    await stored.batchingSetup.set({ reservation, step })
  }
  try {
    if (!journaled) await reserve(reservation, action)
    const sent = await runUserOpAction({ reservation, action, calls: action.calls, step: journaled?.step, journal })
    await stored.batchingSetup.remove()
    return sent
  } catch (error) {
    if (error instanceof UserOperationRevertedError) {
      // It ran and paid its fee: counted, and over (a retry signs a new op).
      await actions.settle(reservation)
      await stored.batchingSetup.remove()
      throw new BatchingSetupError('The user operation setting up the rollup inbox reverted.')
    }
    // Submitted ops may still land: the journal and the reservation stay for the next attempt.
    if (!submitted) {
      await actions.release(reservation)
      await stored.batchingSetup.remove()
    }
    if (!(error instanceof PolicyDeniedError)) throw error
    await recordActivity({
      kind: 'userOp',
      origin: 'Seed',
      chainId,
      summary: `Refused to start batching: ${error.message}`,
      status: 'failed',
    })
    throw new BatchingSetupError(`Batching not started. ${error.message}`)
  }
}

/**
 * Activity with the rollup's batches merged in: the Worker records them (the background may be
 * asleep when one lands), so they are read from it rather than copied into chrome.storage.
 */
export async function withBatchActivity(items: ActivityItem[]): Promise<ActivityItem[]> {
  let state: BatchingState
  try {
    state = await batchingState()
  } catch {
    return items // the rollup is not answering: show the rest
  }
  if (!state.enabled) return items
  const { l1 } = await getDevnetConfig()
  const batches: ActivityItem[] = state.batches.map((b) => ({
    id: `batch-${state.inbox}-${b.index}`,
    kind: 'batch',
    origin: 'Rollup batcher',
    chainId: l1.chainId,
    summary: `Batch #${b.index}: L2 blocks #${b.firstBlock}–#${b.lastBlock} · CID ${b.cid.slice(0, 12)}…${b.cid.slice(-6)}`,
    hash: b.blobTxHash,
    status: 'success',
    at: b.at,
  }))
  return [...items, ...batches].sort((a, b) => b.at - a.at)
}
