/**
 * The escrow's open bounties for the Agents screen, kept incrementally: the `BountyPosted` logs are scanned once
 * (in bounded block ranges, from where the last poll stopped) and only the bounties still open are read again. A
 * bounty that is closing or full never opens again (`withdrawUnallotted` shrinks it to its joiners, `exit` frees
 * no slot), so it leaves the index for good. A poll on a long-lived chain costs the new blocks and the open
 * bounties, not the escrow's whole history.
 */
import { type Bounty, readBounty, SeedBountyEscrowAbi } from '@seed/contracts'
import type { Address, Chain, Client, Transport } from 'viem'
import { getBlockNumber, getContractEvents } from 'viem/actions'
import type { OpenBountyIndex } from '../../core/records.ts'

/** The most blocks one log query spans (RPC providers cap eth_getLogs ranges). */
export const LOG_RANGE = 5_000n

export type OpenBountySource = {
  head(): Promise<bigint>
  /** Ids posted in [fromBlock, toBlock]. */
  posted(fromBlock: bigint, toBlock: bigint): Promise<bigint[]>
  read(bountyId: bigint): Promise<Bounty>
}

export type IndexStore = { get(): Promise<OpenBountyIndex | undefined>; set(index: OpenBountyIndex): Promise<void> }

const isOpen = (b: Bounty) => !b.closing && b.operators < b.maxOperators

export async function openBounties(source: OpenBountySource, store: IndexStore, escrow: Address): Promise<Bounty[]> {
  const saved = await store.get()
  const index = saved?.escrow === escrow ? saved : undefined
  const head = await source.head()
  const ids = new Set(index?.open ?? [])
  for (let from = index ? BigInt(index.scanned) + 1n : 0n; from <= head; from += LOG_RANGE) {
    const to = from + LOG_RANGE - 1n < head ? from + LOG_RANGE - 1n : head
    for (const id of await source.posted(from, to)) ids.add(id.toString())
  }
  const bounties = await Promise.all([...ids].map((id) => source.read(BigInt(id))))
  const open = bounties.filter(isOpen)
  await store.set({ escrow, scanned: head.toString(), open: open.map((b) => b.bountyId.toString()) })
  return open
}

/** The source over an L1 client: the escrow's logs and its `bounties` view. */
export function escrowSource(l1: Client<Transport, Chain>, escrow: Address): OpenBountySource {
  return {
    head: () => getBlockNumber(l1, { cacheTime: 0 }),
    posted: async (fromBlock, toBlock) => {
      const logs = await getContractEvents(l1, {
        address: escrow,
        abi: SeedBountyEscrowAbi,
        eventName: 'BountyPosted',
        fromBlock,
        toBlock,
        strict: true,
      })
      return logs.map((log) => log.args.bountyId)
    },
    read: (bountyId) => readBounty(l1, { escrow, bountyId }),
  }
}
