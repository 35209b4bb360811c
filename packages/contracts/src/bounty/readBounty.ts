/** One bounty's terms and state, and one agent's slot in it, as the escrow holds them now. */
import type { Address, Chain, Client, Transport } from 'viem'
import { readContract } from 'viem/actions'
import { SeedBountyEscrowAbi } from '../generated/index.ts'
import { BountyError } from './errors.ts'
import { type BountyKind, bountyKindOf } from './kinds.ts'

export type Bounty = {
  bountyId: bigint
  poster: Address
  kind: BountyKind
  inbox: Address
  token: Address
  pricePerEpoch: bigint
  epochLength: bigint
  maxOperators: number
  operators: number
  allotment: bigint
  unallotted: bigint
  closing: boolean
  /** When the poster requested the close (seconds, 0 if not): the slots can be withdrawn `BOUNTY_CLOSE_DELAY` later. */
  closeRequestedAt: bigint
}

/** SeedBountyEscrow.CLOSE_DELAY: operators claim their last vouchers before the poster withdraws. */
export const BOUNTY_CLOSE_DELAY = 3600n

export async function readBounty(
  client: Client<Transport, Chain | undefined>,
  { escrow, bountyId }: { escrow: Address; bountyId: bigint },
): Promise<Bounty> {
  const [
    poster,
    kind,
    maxOperators,
    operators,
    epochLength,
    closeRequestedAt,
    inbox,
    token,
    pricePerEpoch,
    allotment,
    unallotted,
  ] = await readContract(client, {
    address: escrow,
    abi: SeedBountyEscrowAbi,
    functionName: 'bounties',
    args: [bountyId],
  })
  const kindName = bountyKindOf(kind)
  if (poster === '0x0000000000000000000000000000000000000000' || !kindName) {
    throw new BountyError('no such bounty', { details: `bounty ${bountyId} on escrow ${escrow}` })
  }
  return {
    bountyId,
    poster,
    kind: kindName,
    inbox,
    token,
    pricePerEpoch,
    epochLength,
    maxOperators,
    operators,
    allotment,
    unallotted,
    closing: closeRequestedAt !== 0n,
    closeRequestedAt,
  }
}

export type BountySlot = { operator: Address; payee: Address; claimed: bigint; closed: boolean }

/** The agent's slot, or undefined when it has not joined. */
export async function readBountySlot(
  client: Client<Transport, Chain | undefined>,
  { escrow, bountyId, agentId }: { escrow: Address; bountyId: bigint; agentId: bigint },
): Promise<BountySlot | undefined> {
  const [operator, payee, claimed, closed] = await readContract(client, {
    address: escrow,
    abi: SeedBountyEscrowAbi,
    functionName: 'slots',
    args: [bountyId, agentId],
  })
  if (operator === '0x0000000000000000000000000000000000000000') return undefined
  return { operator, payee, claimed, closed }
}
