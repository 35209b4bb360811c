/**
 * The escrow's bounties for every page that lists them, following the L1 head (a join or a claim shows
 * without a reload); null when this network has no escrow deployed.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { bountyEscrow, listBounties } from './bounties.ts'
import { useChain } from './chain-context.tsx'
import { useHead } from './live.ts'

export function useBounties() {
  const { network } = useChain()
  const l1Head = useHead('l1')
  return useQuery({
    queryKey: ['bounties', String(l1Head.data?.number)],
    queryFn: async () => {
      const escrow = await bountyEscrow(network)
      return escrow ? listBounties(network, escrow) : null
    },
    placeholderData: keepPreviousData,
  })
}
