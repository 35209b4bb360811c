/**
 * The bounties an escrow holds, from its `BountyPosted` logs, each read as it is now (joins, closes), the
 * open ones first filtered by kind and inbox when asked. The caller bounds the scan with `fromBlock`.
 */
import type { Address, Chain, Client, Transport } from 'viem'
import { getContractEvents } from 'viem/actions'
import { seedDeployments } from '../generated/deployments.ts'
import { SeedBountyEscrowAbi } from '../generated/index.ts'
import type { BountyKind } from './kinds.ts'
import { type Bounty, readBounty } from './readBounty.ts'

/** Seed's escrow: the same address on every chain where Seed's contracts are deployed. */
export function seedBountyEscrow(): Address {
  const deployment = seedDeployments.find((d) => d.name === 'bountyEscrow')
  if (!deployment) throw new Error('no deterministic deployment named bountyEscrow')
  return deployment.address as Address
}

export async function listBounties(
  client: Client<Transport, Chain | undefined>,
  p: { escrow: Address; kind?: BountyKind; inbox?: Address; openOnly?: boolean; fromBlock?: bigint },
): Promise<Bounty[]> {
  const logs = await getContractEvents(client, {
    address: p.escrow,
    abi: SeedBountyEscrowAbi,
    eventName: 'BountyPosted',
    fromBlock: p.fromBlock ?? 0n,
    strict: true,
  })
  const bounties = await Promise.all(
    logs.map((log) => readBounty(client, { escrow: p.escrow, bountyId: log.args.bountyId })),
  )
  return bounties.filter(
    (b) =>
      (!p.kind || b.kind === p.kind) &&
      (!p.inbox || b.inbox.toLowerCase() === p.inbox.toLowerCase()) &&
      (!p.openOnly || (!b.closing && b.operators < b.maxOperators)),
  )
}
