/**
 * Withdrawals (docs/decisions/0700): the message passer's hash and storage slot, the output root, and the
 * prove and finalize calls, each checked against the portal's state first so the caller gets a typed reason
 * (and the time the window closes) instead of a revert.
 */
import { type Address, concat, encodeAbiParameters, encodeFunctionData, type Hex, keccak256 } from 'viem'
import { getBlock, readContract } from 'viem/actions'
import { RollupInboxAbi } from '../generated/RollupInbox.ts'
import { SeedPortalAbi } from '../generated/SeedPortal.ts'
import { requireBridgeConfig } from './config.ts'
import { SEED_PORTAL, SENT_MESSAGES_SLOT } from './constants.ts'
import { WithdrawalNotReadyError } from './errors.ts'
import type { BridgeCall, L1Client } from './types.ts'

/** An L2 → L1 message as `L2ToL1MessagePasser.initiateWithdrawal` recorded it. */
export type Withdrawal = { nonce: bigint; sender: Address; target: Address; value: bigint; gasLimit: bigint; data: Hex }

/** The preimage of an output root: the L2 block's state root, the message passer's storage root, its hash. */
export type OutputRootPreimage = { stateRoot: Hex; messagePasserStorageRoot: Hex; blockHash: Hex }

/** `keccak256(abi.encode(nonce, sender, target, value, gasLimit, data))`. */
export function hashWithdrawal(w: Withdrawal): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: 'uint256' },
        { type: 'address' },
        { type: 'address' },
        { type: 'uint256' },
        { type: 'uint256' },
        { type: 'bytes' },
      ],
      [w.nonce, w.sender, w.target, w.value, w.gasLimit, w.data],
    ),
  )
}

/** The storage key of `sentMessages[withdrawalHash]` in the message passer (what `eth_getProof` is asked for). */
export function withdrawalStorageSlot(withdrawalHash: Hex): Hex {
  return keccak256(
    encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [withdrawalHash, SENT_MESSAGES_SLOT]),
  )
}

/** `keccak256(bytes32(0) ‖ stateRoot ‖ messagePasserStorageRoot ‖ blockHash)` (rollup-lite SPEC §6). */
export function outputRootOf(p: OutputRootPreimage): Hex {
  return keccak256(concat([`0x${'00'.repeat(32)}`, p.stateRoot, p.messagePasserStorageRoot, p.blockHash]))
}

/** SeedPortal.ChallengeStatus.Pending */
const CHALLENGE_PENDING = 1

export type WithdrawalStatus =
  | { status: 'not-proven' }
  | { status: 'proven'; index: bigint; finalizableAt: bigint }
  | { status: 'challenged'; index: bigint }
  | { status: 'output-invalidated'; index: bigint }
  | { status: 'ready'; index: bigint }
  | { status: 'finalized' }

/** Where a withdrawal stands on L1, with the time its challenge window closes (the wallet's countdown). */
export async function getWithdrawalStatus(
  client: L1Client,
  { inbox, withdrawal }: { inbox: Address; withdrawal: Withdrawal },
): Promise<WithdrawalStatus> {
  const config = await requireBridgeConfig(client, { inbox })
  const hash = hashWithdrawal(withdrawal)
  const [finalized, proven, block] = await Promise.all([
    readContract(client, {
      address: SEED_PORTAL,
      abi: SeedPortalAbi,
      functionName: 'finalizedWithdrawals',
      args: [inbox, hash],
    }),
    readContract(client, {
      address: SEED_PORTAL,
      abi: SeedPortalAbi,
      functionName: 'provenWithdrawal',
      args: [inbox, hash],
    }),
    getBlock(client),
  ])
  if (finalized) return { status: 'finalized' }
  if (proven.provenAt === 0n) return { status: 'not-proven' }
  const [[outputRoot, postedAt], challenge] = await Promise.all([
    readContract(client, { address: inbox, abi: RollupInboxAbi, functionName: 'outputAt', args: [proven.index] }),
    readContract(client, {
      address: SEED_PORTAL,
      abi: SeedPortalAbi,
      functionName: 'challengeOf',
      args: [inbox, proven.index],
    }),
  ])
  if (outputRoot !== proven.outputRoot || postedAt !== proven.postedAt) {
    return { status: 'output-invalidated', index: proven.index }
  }
  if (challenge.status === CHALLENGE_PENDING) return { status: 'challenged', index: proven.index }
  const finalizableAt = proven.postedAt + config.challengeWindow
  if (block.timestamp < finalizableAt) return { status: 'proven', index: proven.index, finalizableAt }
  return { status: 'ready', index: proven.index }
}

/**
 * Proves `withdrawal` against output `index` of the chain of `inbox`: `outputRootPreimage` and `storageProof`
 * are what `eth_getProof(L2_TO_L1_MESSAGE_PASSER, [withdrawalStorageSlot(hash)], lastBlockOfBatch)` returns
 * (its stateRoot, storageHash, block hash; the storage entry's proof).
 */
export async function proveWithdrawal(
  client: L1Client,
  p: {
    inbox: Address
    withdrawal: Withdrawal
    index: bigint
    outputRootPreimage: OutputRootPreimage
    storageProof: readonly Hex[]
  },
): Promise<BridgeCall> {
  const hash = hashWithdrawal(p.withdrawal)
  const [status, [outputRoot]] = await Promise.all([
    getWithdrawalStatus(client, p),
    readContract(client, { address: p.inbox, abi: RollupInboxAbi, functionName: 'outputAt', args: [p.index] }),
  ])
  if (status.status === 'finalized') throw new WithdrawalNotReadyError(hash, 'already-finalized')
  if (status.status !== 'not-proven' && status.status !== 'output-invalidated') {
    throw new WithdrawalNotReadyError(hash, 'already-proven')
  }
  if (BigInt(outputRoot) === 0n) throw new WithdrawalNotReadyError(hash, 'output-not-posted')
  if (outputRootOf(p.outputRootPreimage) !== outputRoot) throw new WithdrawalNotReadyError(hash, 'output-mismatch')
  return {
    to: SEED_PORTAL,
    data: encodeFunctionData({
      abi: SeedPortalAbi,
      functionName: 'proveWithdrawal',
      args: [p.inbox, p.withdrawal, p.index, p.outputRootPreimage, [...p.storageProof]],
    }),
    value: 0n,
  }
}

/** Finalizes a proven `withdrawal` whose output's challenge window has passed unchallenged. */
export async function finalizeWithdrawal(
  client: L1Client,
  p: { inbox: Address; withdrawal: Withdrawal },
): Promise<BridgeCall> {
  const hash = hashWithdrawal(p.withdrawal)
  const status = await getWithdrawalStatus(client, p)
  switch (status.status) {
    case 'finalized':
      throw new WithdrawalNotReadyError(hash, 'already-finalized')
    case 'not-proven':
      throw new WithdrawalNotReadyError(hash, 'not-proven')
    case 'output-invalidated':
      throw new WithdrawalNotReadyError(hash, 'output-invalidated')
    case 'challenged':
      throw new WithdrawalNotReadyError(hash, 'output-challenged')
    case 'proven':
      throw new WithdrawalNotReadyError(hash, 'challenge-window-open', status.finalizableAt)
  }
  const escrow = await readContract(client, {
    address: SEED_PORTAL,
    abi: SeedPortalAbi,
    functionName: 'ethEscrow',
    args: [p.inbox],
  })
  if (escrow < p.withdrawal.value) throw new WithdrawalNotReadyError(hash, 'insufficient-escrow')
  return {
    to: SEED_PORTAL,
    data: encodeFunctionData({ abi: SeedPortalAbi, functionName: 'finalizeWithdrawal', args: [p.inbox, p.withdrawal] }),
    value: 0n,
  }
}
