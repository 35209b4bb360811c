/**
 * Acts on an output the watcher could not reproduce: reads the output's on-chain challenge state first (so a
 * restarted watcher, or a second one, never pays a second bond), then challenges it with the chain's bond
 * while its window is open.
 */
import { type BridgeCall, BridgeNotConfiguredError, challengeOutput, getOutputStatus } from '@seed/contracts'
import type { Address, Hex, PublicClient } from 'viem'
import { getBlock } from 'viem/actions'
import type { PostedBatch } from '../../protocol/inbox.ts'
import type { OutputVerdict } from './verdict.ts'

/** Sends an L1 call and resolves with its hash once it is included (rejects if it reverted). */
export type SendL1Call = (call: BridgeCall) => Promise<Hex>

export type Mismatch = { batch: PostedBatch; derived?: Hex; reason: string }

/** The verdict on a mismatch, after challenging it if it is open and `send` is given; undefined if the output was replaced. */
export async function challengeMismatch(
  l1: PublicClient,
  { inbox, mismatch, send }: { inbox: Address; mismatch: Mismatch; send?: SendL1Call },
): Promise<OutputVerdict | undefined> {
  const { batch, derived, reason } = mismatch
  const base = { index: batch.index, outputRoot: batch.outputRoot, derived }
  const status = await readStatus(l1, inbox, batch.index)
  if (status === 'no-bridge')
    return { verdict: 'mismatch', ...base, reason, unchallenged: 'the chain has no bridge config' }
  // Rolled back (and maybe re-posted) since this batch was read: the next poll sees the rollback.
  if (!status || status.outputRoot !== batch.outputRoot || status.postedAt !== batch.l1Timestamp) return undefined
  if (status.challenge !== 'none') {
    return { verdict: 'already-challenged', ...base, challenge: status.challenge, challenger: status.challenger }
  }
  const { timestamp } = await getBlock(l1)
  if (timestamp >= status.challengeWindowEndsAt) {
    return { verdict: 'window-passed', ...base, closedAt: status.challengeWindowEndsAt }
  }
  if (!send) return { verdict: 'mismatch', ...base, reason, unchallenged: 'no challenger key' }
  const call = await challengeOutput(l1, { inbox, index: batch.index })
  try {
    const txHash = await send(call)
    return { verdict: 'challenged', ...base, reason, txHash, bond: call.value }
  } catch (error) {
    // Someone challenged between the read and the send: theirs stands, and ours reverted without cost but gas.
    const now = await readStatus(l1, inbox, batch.index)
    if (now && now !== 'no-bridge' && now.challenge !== 'none') {
      return { verdict: 'already-challenged', ...base, challenge: now.challenge, challenger: now.challenger }
    }
    throw error
  }
}

async function readStatus(l1: PublicClient, inbox: Address, index: bigint) {
  try {
    return await getOutputStatus(l1, { inbox, index })
  } catch (e) {
    if (e instanceof BridgeNotConfiguredError) return 'no-bridge' as const
    throw e
  }
}

/**
 * Whether a batch whose data cannot be had (no blobs or IPFS bytes matching its commitments) has gone
 * unavailable for half its challenge window: long enough that a source outage is unlikely, early enough to
 * challenge. Blobs that do not match the CID posted with them never become available: without this, a
 * sequencer could post such a batch with any output root and never be challenged.
 */
export async function dataWithheldTooLong(l1: PublicClient, inbox: Address, batch: PostedBatch): Promise<boolean> {
  const status = await readStatus(l1, inbox, batch.index)
  if (!status || status === 'no-bridge' || status.postedAt !== batch.l1Timestamp) return false
  const { timestamp } = await getBlock(l1)
  return timestamp >= status.postedAt + (status.challengeWindowEndsAt - status.postedAt) / 2n
}
