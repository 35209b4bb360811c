/** The explorer's ABIs, loaded the first time a page decodes a call or a log (their own chunk). */
import { useQuery } from '@tanstack/react-query'
import type { KnownAbi } from './abis.ts'
import { useChain } from './chain-context.tsx'

const NONE: KnownAbi[] = []

/** The known ABIs, or none while their chunk loads (the page shows the raw input until then). */
export function useKnownAbis(): KnownAbi[] {
  const { network } = useChain()
  const abis = useQuery({
    queryKey: ['known-abis'],
    queryFn: async () => (await import('./abis.ts')).knownAbis(network.manifest),
    staleTime: Number.POSITIVE_INFINITY,
  })
  return abis.data ?? NONE
}
