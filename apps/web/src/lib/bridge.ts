/**
 * The bridge of the selected chain as L1 and the chain record it (decision 0700): the portal's deposits,
 * proofs, finalizations and challenges for the chain's inbox, and the withdrawals its L2 message passer
 * recorded, each placed on its timeline (initiated → output posted → proven → challenge window → finalized).
 */
import {
  type BridgeConfig,
  decodeDepositOpaqueData,
  getBridgeConfig,
  L2_TO_L1_MESSAGE_PASSER,
  RollupInboxAbi,
  SEED_PORTAL,
  SeedPortalAbi,
  type Withdrawal,
  type WithdrawalStatus,
} from '@seed/contracts'
import { type Address, type Hash, type Hex, type PublicClient, parseAbi, size } from 'viem'
import type { Batch } from './batches.ts'
import { inWindows } from './logs.ts'

/** The message passer's event (rollup-lite SPEC §10.3, OP's L2ToL1MessagePasser). */
export const messagePassedAbi = parseAbi([
  'event MessagePassed(uint256 indexed nonce, address indexed sender, address indexed target, uint256 value, uint256 gasLimit, bytes data, bytes32 withdrawalHash)',
])

export type Deposit = {
  nonce: bigint
  from: Address
  to: Address
  mint: bigint
  value: bigint
  gasLimit: bigint
  l1TxHash: Hash
  l1Block: bigint
}

export async function listDeposits(l1: PublicClient, inbox: Address): Promise<Deposit[]> {
  const logs = await inWindows(l1, (range) =>
    l1.getContractEvents({
      address: SEED_PORTAL,
      abi: SeedPortalAbi,
      eventName: 'TransactionDeposited',
      args: { inbox },
      ...range,
      strict: true,
    }),
  )
  return logs
    .map((log) => {
      const opaque = decodeDepositOpaqueData(log.args.opaqueData)
      return {
        nonce: log.args.nonce,
        from: log.args.from,
        to: log.args.to,
        mint: opaque.mint,
        value: opaque.value,
        gasLimit: opaque.gasLimit,
        l1TxHash: log.transactionHash,
        l1Block: log.blockNumber,
      }
    })
    .reverse()
}

export type Challenge = {
  index: bigint
  outputRoot: Hex
  challenger: Address
  l1TxHash: Hash
  outcome: 'pending' | 'output valid' | 'output invalid: rolled back' | 'orphaned by a rollback'
}

/** Challenges of the chain's outputs with how each ended. */
export async function listChallenges(l1: PublicClient, inbox: Address): Promise<Challenge[]> {
  const common = { address: SEED_PORTAL, abi: SeedPortalAbi, args: { inbox }, strict: true } as const
  const [opened, resolved, orphaned] = await Promise.all([
    inWindows(l1, (range) => l1.getContractEvents({ ...common, eventName: 'OutputChallenged', ...range })),
    inWindows(l1, (range) => l1.getContractEvents({ ...common, eventName: 'ChallengeResolved', ...range })),
    inWindows(l1, (range) => l1.getContractEvents({ ...common, eventName: 'ChallengeOrphaned', ...range })),
  ])
  const same = (a: { index: bigint; outputRoot: Hex }, b: { index: bigint; outputRoot: Hex }) =>
    a.index === b.index && a.outputRoot === b.outputRoot
  return opened
    .map(({ args, transactionHash }) => {
      const resolution = resolved.find((r) => same(r.args, args))
      const outcome: Challenge['outcome'] = resolution
        ? resolution.args.valid
          ? 'output valid'
          : 'output invalid: rolled back'
        : orphaned.some((o) => same(o.args, args))
          ? 'orphaned by a rollback'
          : 'pending'
      return {
        index: args.index,
        outputRoot: args.outputRoot,
        challenger: args.challenger,
        l1TxHash: transactionHash,
        outcome,
      }
    })
    .reverse()
}

/** A withdrawal as the message passer logged it (what the portal's prove and finalize take), and where. */
export type L2Withdrawal = Withdrawal & { withdrawalHash: Hex; l2Block: bigint; l2TxHash: Hash }

/** Withdrawals the chain's message passer recorded; null when the chain has no message passer (no code there). */
export async function listL2Withdrawals(l2: PublicClient): Promise<L2Withdrawal[] | null> {
  const code = await l2.getCode({ address: L2_TO_L1_MESSAGE_PASSER })
  if (!code || size(code) === 0) return null
  const logs = await inWindows(l2, (range) =>
    l2.getContractEvents({
      address: L2_TO_L1_MESSAGE_PASSER,
      abi: messagePassedAbi,
      eventName: 'MessagePassed',
      ...range,
      strict: true,
    }),
  )
  return logs
    .map((log) => ({
      withdrawalHash: log.args.withdrawalHash,
      nonce: log.args.nonce,
      sender: log.args.sender,
      target: log.args.target,
      value: log.args.value,
      gasLimit: log.args.gasLimit,
      data: log.args.data,
      l2Block: log.blockNumber,
      l2TxHash: log.transactionHash,
    }))
    .reverse()
}

export type L1WithdrawalEvents = {
  proven: Map<Hex, { index: bigint; l1TxHash: Hash }>
  finalized: Map<Hex, { success: boolean; l1TxHash: Hash }>
}

export async function l1WithdrawalEvents(l1: PublicClient, inbox: Address): Promise<L1WithdrawalEvents> {
  const [proven, finalized] = await Promise.all([
    inWindows(l1, (range) =>
      l1.getContractEvents({
        address: SEED_PORTAL,
        abi: SeedPortalAbi,
        eventName: 'WithdrawalProven',
        args: { inbox },
        ...range,
        strict: true,
      }),
    ),
    inWindows(l1, (range) =>
      l1.getContractEvents({
        address: SEED_PORTAL,
        abi: SeedPortalAbi,
        eventName: 'WithdrawalFinalized',
        args: { inbox },
        ...range,
        strict: true,
      }),
    ),
  ])
  return {
    proven: new Map(proven.map((l) => [l.args.withdrawalHash, { index: l.args.index, l1TxHash: l.transactionHash }])),
    finalized: new Map(
      finalized.map((l) => [l.args.withdrawalHash, { success: l.args.success, l1TxHash: l.transactionHash }]),
    ),
  }
}

/** Output `index` as the inbox holds it now: its root and the L1 time it was posted (0 when not posted). */
export async function outputAt(l1: PublicClient, inbox: Address, index: bigint) {
  const [outputRoot, postedAt] = await l1.readContract({
    address: inbox,
    abi: RollupInboxAbi,
    functionName: 'outputAt',
    args: [index],
  })
  return { outputRoot, postedAt }
}

export type TimelineStep = { label: string; state: 'done' | 'current' | 'waiting'; detail?: string }

/** The first posted batch (`batches` newest first) whose L2 range reaches `l2Block`: the output to prove against. */
export function batchCovering(batches: Batch[], l2Block: bigint): Batch | undefined {
  return [...batches].reverse().find((b) => b.lastBlock >= l2Block)
}

/** What places one withdrawal on its timeline. */
export type WithdrawalPlace = {
  withdrawal: L2Withdrawal
  /** The first posted batch covering its block (`batchCovering`). */
  batch: Batch | undefined
  events: L1WithdrawalEvents
  config: BridgeConfig | null
  status: WithdrawalStatus | undefined
  /** When the output it is (or would be) proven against was posted on L1. */
  postedAt: bigint | undefined
}

/**
 * Where one withdrawal stands. `status` is the portal's view (`getWithdrawalStatus`: a challenged or
 * rolled-back output shows here); `now` is L1's time (`useL1Now`), so the countdown follows L1, not the
 * visitor's clock.
 */
export function withdrawalTimeline(p: WithdrawalPlace & { now: bigint }): TimelineStep[] {
  const { withdrawal, batch, events, config, status, postedAt, now } = p
  const proven = events.proven.get(withdrawal.withdrawalHash)
  const finalized = events.finalized.get(withdrawal.withdrawalHash)
  const steps: TimelineStep[] = [{ label: 'Initiated on L2', state: 'done', detail: `block #${withdrawal.l2Block}` }]
  steps.push(
    batch
      ? { label: 'Output posted', state: 'done', detail: `batch #${batch.index}` }
      : { label: 'Output posted', state: 'current', detail: 'waiting for the batch that covers its block' },
  )
  steps.push(
    status?.status === 'output-invalidated'
      ? { label: 'Proven', state: 'current', detail: `output #${status.index} was rolled back: prove again` }
      : proven
        ? { label: 'Proven', state: 'done', detail: `against output #${proven.index}` }
        : { label: 'Proven', state: batch ? 'current' : 'waiting' },
  )
  const endsAt = config && postedAt ? postedAt + config.challengeWindow : undefined
  const windowStep: TimelineStep =
    status?.status === 'challenged'
      ? {
          label: 'Challenge window',
          state: 'current',
          detail: `output #${status.index} is challenged: waiting for the guardians`,
        }
      : endsAt === undefined
        ? { label: 'Challenge window', state: 'waiting' }
        : now >= endsAt
          ? { label: 'Challenge window', state: 'done', detail: 'closed' }
          : { label: 'Challenge window', state: proven ? 'current' : 'waiting', detail: `${endsAt - now} s left` }
  steps.push(windowStep)
  steps.push(
    finalized
      ? { label: 'Finalized', state: 'done', detail: finalized.success ? 'relayed' : 'relayed; the call failed' }
      : { label: 'Finalized', state: proven && windowStep.state === 'done' ? 'current' : 'waiting' },
  )
  return steps
}

export const bridgeConfig = (l1: PublicClient, inbox: Address) => getBridgeConfig(l1, { inbox })
