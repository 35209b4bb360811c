/**
 * Output challenges (Stage 0, docs/decisions/0700): challenge an output with the chain's bond during its
 * window; the chain's guardians sign an EIP-712 `Resolution` offline and anyone submits `threshold` of them.
 */
import { type Address, encodeFunctionData, type Hex, type TypedDataDefinition } from 'viem'
import { getBlock, getChainId, readContract } from 'viem/actions'
import { RollupInboxAbi } from '../generated/RollupInbox.ts'
import { SeedPortalAbi } from '../generated/SeedPortal.ts'
import { requireBridgeConfig } from './config.ts'
import { SEED_PORTAL } from './constants.ts'
import { OutputChallengeError } from './errors.ts'
import type { BridgeCall, L1Client } from './types.ts'

export type OutputStatus = {
  outputRoot: Hex
  postedAt: bigint
  /** Unix seconds the challenge window closes. */
  challengeWindowEndsAt: bigint
  challenge: 'none' | 'pending' | 'resolved-valid'
  challenger?: Address
}

const CHALLENGE_STATUS = ['none', 'pending', 'resolved-valid', 'resolved-invalid'] as const

/** Output `index` of the chain of `inbox` and its challenge, or null when it is not (or no longer) posted. */
export async function getOutputStatus(
  client: L1Client,
  { inbox, index }: { inbox: Address; index: bigint },
): Promise<OutputStatus | null> {
  const [config, [outputRoot, postedAt], challenge] = await Promise.all([
    requireBridgeConfig(client, { inbox }),
    readContract(client, { address: inbox, abi: RollupInboxAbi, functionName: 'outputAt', args: [index] }),
    readContract(client, {
      address: SEED_PORTAL,
      abi: SeedPortalAbi,
      functionName: 'challengeOf',
      args: [inbox, index],
    }),
  ])
  if (BigInt(outputRoot) === 0n) return null
  // A current output is never resolved invalid: that resolution rolls it back.
  const state = CHALLENGE_STATUS[challenge.status] as OutputStatus['challenge']
  return {
    outputRoot,
    postedAt,
    challengeWindowEndsAt: postedAt + config.challengeWindow,
    challenge: state,
    ...(state === 'none' ? {} : { challenger: challenge.challenger }),
  }
}

/** Challenges output `index` (value: the chain's challenge bond). */
export async function challengeOutput(
  client: L1Client,
  { inbox, index }: { inbox: Address; index: bigint },
): Promise<BridgeCall> {
  const [config, output, block] = await Promise.all([
    requireBridgeConfig(client, { inbox }),
    getOutputStatus(client, { inbox, index }),
    getBlock(client),
  ])
  if (!output) throw new OutputChallengeError(index, 'not posted')
  if (block.timestamp >= output.challengeWindowEndsAt) throw new OutputChallengeError(index, 'challenge window closed')
  if (output.challenge !== 'none') throw new OutputChallengeError(index, `already challenged (${output.challenge})`)
  return {
    to: SEED_PORTAL,
    data: encodeFunctionData({ abi: SeedPortalAbi, functionName: 'challengeOutput', args: [inbox, index] }),
    value: config.challengeBond,
  }
}

export type Resolution = { inbox: Address; index: bigint; outputRoot: Hex; postedAt: bigint; valid: boolean }

/** What each guardian signs (EIP-712) to resolve the challenge of an output. */
export function resolutionTypedData(
  l1ChainId: number,
  message: Resolution,
): TypedDataDefinition<typeof resolutionTypes, 'Resolution'> {
  return {
    domain: { name: 'SeedPortal', version: '1', chainId: l1ChainId, verifyingContract: SEED_PORTAL },
    types: resolutionTypes,
    primaryType: 'Resolution',
    message,
  }
}

const resolutionTypes = {
  Resolution: [
    { name: 'inbox', type: 'address' },
    { name: 'index', type: 'uint256' },
    { name: 'outputRoot', type: 'bytes32' },
    { name: 'postedAt', type: 'uint64' },
    { name: 'valid', type: 'bool' },
  ],
} as const

/** The resolution a guardian is asked to sign for the pending challenge of output `index`. */
export async function getPendingResolution(
  client: L1Client,
  { inbox, index, valid }: { inbox: Address; index: bigint; valid: boolean },
): Promise<TypedDataDefinition<typeof resolutionTypes, 'Resolution'>> {
  const [output, chainId] = await Promise.all([getOutputStatus(client, { inbox, index }), getChainId(client)])
  if (!output) throw new OutputChallengeError(index, 'not posted')
  if (output.challenge !== 'pending') throw new OutputChallengeError(index, 'no pending challenge')
  return resolutionTypedData(chainId, { inbox, index, outputRoot: output.outputRoot, postedAt: output.postedAt, valid })
}

/**
 * Submits a resolution with guardian signatures: they are ordered by signer (the portal wants them ascending),
 * and there must be at least the chain's threshold of them.
 */
export async function resolveChallenge(
  client: L1Client,
  p: { inbox: Address; index: bigint; valid: boolean; signatures: readonly { signer: Address; signature: Hex }[] },
): Promise<BridgeCall> {
  const config = await requireBridgeConfig(client, p)
  if (BigInt(p.signatures.length) < config.threshold) {
    throw new OutputChallengeError(p.index, `${p.signatures.length} guardian signatures, ${config.threshold} needed`)
  }
  const ordered = [...p.signatures].sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : 1))
  return {
    to: SEED_PORTAL,
    data: encodeFunctionData({
      abi: SeedPortalAbi,
      functionName: 'resolveChallenge',
      args: [p.inbox, p.index, p.valid, ordered.map((s) => s.signature)],
    }),
    value: 0n,
  }
}

/** Pulls the caller's bond payouts (challenge rewards, refunds, bonds forfeited to the inbox owner). */
export function withdrawBondCredit(): BridgeCall {
  return {
    to: SEED_PORTAL,
    data: encodeFunctionData({ abi: SeedPortalAbi, functionName: 'withdrawBondCredit' }),
    value: 0n,
  }
}
