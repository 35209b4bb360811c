/**
 * The bounty escrow's writes as calls `{ to, data }` (decision 0802): sending is the caller's business (a
 * CLI's key, a test's wallet client, later the extension's one action pipeline), as for the ERC-8004 calls.
 */
import { type Address, encodeFunctionData, type Hex } from 'viem'
import { SeedBountyEscrowAbi } from '../generated/index.ts'
import { type BountyKind, bountyKindCode } from './kinds.ts'

export type BountyCall = { to: Address; data: Hex }

export type BountyTerms = {
  kind: BountyKind
  /** The RollupInbox of the chain the work is for. */
  inbox: Address
  token: Address
  pricePerEpoch: bigint
  epochLength: bigint
  maxOperators: number
  /** Split into `maxOperators` equal allotments; the poster approves the escrow for it first. */
  funds: bigint
}

export function postBountyCall(escrow: Address, t: BountyTerms): BountyCall {
  return {
    to: escrow,
    data: encodeFunctionData({
      abi: SeedBountyEscrowAbi,
      functionName: 'post',
      args: [bountyKindCode(t.kind), t.inbox, t.token, t.pricePerEpoch, t.epochLength, t.maxOperators, t.funds],
    }),
  }
}

export function joinBountyCall(escrow: Address, p: { bountyId: bigint; agentId: bigint }): BountyCall {
  return {
    to: escrow,
    data: encodeFunctionData({ abi: SeedBountyEscrowAbi, functionName: 'join', args: [p.bountyId, p.agentId] }),
  }
}

export type SignedEpochVoucher = { bountyId: bigint; agentId: bigint; cumulativeAmount: bigint; signature: Hex }

/** Settles a voucher: pays the agent's wallet what it adds to the slot's claimed total. */
export function claimEpochsCall(escrow: Address, v: SignedEpochVoucher): BountyCall {
  return {
    to: escrow,
    data: encodeFunctionData({
      abi: SeedBountyEscrowAbi,
      functionName: 'claim',
      args: [v.bountyId, v.agentId, v.cumulativeAmount, v.signature],
    }),
  }
}

/** The operator leaves the bounty, claiming its last voucher (cumulativeAmount 0 and `0x` when it has none). */
export function exitBountyCall(escrow: Address, v: SignedEpochVoucher): BountyCall {
  return {
    to: escrow,
    data: encodeFunctionData({
      abi: SeedBountyEscrowAbi,
      functionName: 'exit',
      args: [v.bountyId, v.agentId, v.cumulativeAmount, v.signature],
    }),
  }
}

export function withdrawUnallottedCall(escrow: Address, { bountyId }: { bountyId: bigint }): BountyCall {
  return {
    to: escrow,
    data: encodeFunctionData({ abi: SeedBountyEscrowAbi, functionName: 'withdrawUnallotted', args: [bountyId] }),
  }
}

/** The poster starts closing: operators have `CLOSE_DELAY` to claim their last vouchers. */
export function requestCloseCall(escrow: Address, { bountyId }: { bountyId: bigint }): BountyCall {
  return {
    to: escrow,
    data: encodeFunctionData({ abi: SeedBountyEscrowAbi, functionName: 'requestClose', args: [bountyId] }),
  }
}

/** After the delay: every listed slot's unclaimed allotment and the unjoined slots go back to the poster. */
export function withdrawBountyCall(
  escrow: Address,
  { bountyId, agentIds }: { bountyId: bigint; agentIds: readonly bigint[] },
): BountyCall {
  return {
    to: escrow,
    data: encodeFunctionData({ abi: SeedBountyEscrowAbi, functionName: 'withdraw', args: [bountyId, agentIds] }),
  }
}
