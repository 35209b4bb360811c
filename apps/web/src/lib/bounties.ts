/**
 * Bounties of Seed's escrow on this network's L1 (decision 0802): found by their `BountyPosted` and
 * `BountyJoined` logs (bounded windows, as every list), each then read as the escrow holds it now (terms,
 * closing, every joined slot's claimed total), so funds left and paid totals are the contract's, not a
 * replay of events that a partial `withdraw` could make wrong.
 */
import {
  type Bounty,
  type BountySlot,
  readBounty,
  readBountySlot,
  SeedBountyEscrowAbi,
  seedBountyEscrow,
} from '@seed/contracts'
import { type Address, erc20Abi, type Hash, isAddressEqual } from 'viem'
import { inWindows } from './logs.ts'
import type { Network } from './network.ts'

export type BountyOperator = BountySlot & { agentId: bigint }

export type BountyView = Bounty & {
  /** The L1 transaction that posted it. */
  postedIn: Hash
  operatorSlots: BountyOperator[]
  /** Paid out to operators so far: the sum of the slots' claimed totals. */
  paid: bigint
  /** Still held for this bounty: slots nobody joined, and what open slots have not claimed yet. */
  fundsLeft: bigint
  tokenSymbol: string
  tokenDecimals: number
}

/** The escrow's address when it is deployed on this L1, else undefined (a network without bounties). */
export async function bountyEscrow(network: Network): Promise<Address | undefined> {
  const escrow = seedBountyEscrow()
  const code = await network.l1.getCode({ address: escrow })
  return code && code !== '0x' ? escrow : undefined
}

async function tokenOf(network: Network, token: Address) {
  const [symbol, decimals] = await Promise.all([
    network.l1.readContract({ address: token, abi: erc20Abi, functionName: 'symbol' }).catch(() => 'tokens'),
    network.l1.readContract({ address: token, abi: erc20Abi, functionName: 'decimals' }).catch(() => 0),
  ])
  return { symbol, decimals }
}

/** Every bounty posted to the escrow in the last windows, newest first, with its slots as they are now. */
export async function listBounties(network: Network, escrow: Address): Promise<BountyView[]> {
  const { l1 } = network
  const [posted, joined] = await Promise.all([
    inWindows(l1, (range) =>
      l1.getContractEvents({
        address: escrow,
        abi: SeedBountyEscrowAbi,
        eventName: 'BountyPosted',
        ...range,
        strict: true,
      }),
    ),
    inWindows(l1, (range) =>
      l1.getContractEvents({
        address: escrow,
        abi: SeedBountyEscrowAbi,
        eventName: 'BountyJoined',
        ...range,
        strict: true,
      }),
    ),
  ])
  const tokens = new Map<Address, ReturnType<typeof tokenOf>>()
  const bounties = await Promise.all(
    posted.map(async (log): Promise<BountyView> => {
      const { bountyId } = log.args
      const bounty = await readBounty(l1, { escrow, bountyId })
      const agentIds = joined.filter((j) => j.args.bountyId === bountyId).map((j) => j.args.agentId)
      const operatorSlots = await Promise.all(
        agentIds.map(async (agentId) => ({
          agentId,
          ...(await readBountySlot(l1, { escrow, bountyId, agentId }))!,
        })),
      )
      if (!tokens.has(bounty.token)) tokens.set(bounty.token, tokenOf(network, bounty.token))
      const token = await tokens.get(bounty.token)!
      const paid = operatorSlots.reduce((sum, s) => sum + s.claimed, 0n)
      const unclaimed = operatorSlots
        .filter((s) => !s.closed)
        .reduce((sum, s) => sum + (bounty.allotment - s.claimed), 0n)
      return {
        ...bounty,
        postedIn: log.transactionHash,
        operatorSlots,
        paid,
        fundsLeft: bounty.unallotted + unclaimed,
        tokenSymbol: token.symbol,
        tokenDecimals: token.decimals,
      }
    }),
  )
  return bounties.reverse()
}

/** Still paying: not asked to close. A full bounty is open too (its operators are still paid). */
export const isOpen = (b: BountyView) => !b.closing

export const postedBy = (b: BountyView, addresses: readonly Address[]) =>
  addresses.some((a) => isAddressEqual(a, b.poster))

export const joinedBy = (b: BountyView, agentId: bigint) => b.operatorSlots.some((s) => s.agentId === agentId)
