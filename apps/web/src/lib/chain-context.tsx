/**
 * The network and the selected rollup, for every page under the layout. Query keys carry the
 * chain id and inbox, so switching chains never shows one chain's data as another's.
 */
import { useQuery } from '@tanstack/react-query'
import { createContext, type ReactNode, useContext, useEffect, useMemo } from 'react'
import { connectL2, type KnownChain, knownChains, type L2, selectChain } from './chains.ts'
import type { Network } from './network.ts'
import type { ChainSearch } from './params.ts'
import { useSeedWallet } from './wallet.ts'

export type ChainState = {
  network: Network
  known: KnownChain[] | undefined
  knownError: Error | null
  /** The chain the search names; undefined while the list loads or when nothing matches. */
  chain: KnownChain | undefined
  /** How to read it; undefined when there is no wallet on it and no replica URL. */
  l2: L2 | undefined
  /** Query-key prefix of the selected chain. */
  key: readonly unknown[]
}

const ChainContext = createContext<ChainState | undefined>(undefined)

export function ChainProvider({
  network,
  search,
  children,
}: {
  network: Network
  search: ChainSearch
  children: ReactNode
}) {
  const known = useQuery({ queryKey: ['known-chains'], queryFn: () => knownChains(network), staleTime: 30_000 })
  const wallet = useSeedWallet()
  const walletChain = useQuery({
    queryKey: ['wallet-chain'],
    enabled: wallet !== undefined,
    queryFn: async () => BigInt(await wallet!.request({ method: 'eth_chainId' })),
    retry: false,
  })
  useEffect(() => {
    if (!wallet) return
    const onChainChanged = () => void walletChain.refetch()
    wallet.on('chainChanged', onChainChanged)
    return () => wallet.removeListener('chainChanged', onChainChanged)
  }, [wallet, walletChain.refetch])
  const chain = useMemo(() => (known.data ? selectChain(known.data, search) : undefined), [known.data, search])
  const walletOn = wallet ? walletChain.data : undefined
  // One set of clients (and WebSockets) per selection, not one per render.
  const l2 = useMemo(() => {
    if (!chain) return undefined
    return connectL2(chain, wallet && walletOn !== undefined ? { provider: wallet, chainId: walletOn } : undefined)
  }, [chain, wallet, walletOn])
  const state: ChainState = {
    network,
    known: known.data,
    knownError: known.error,
    chain,
    l2,
    key: [String(chain?.chainId), chain?.inbox, l2?.source],
  }
  return <ChainContext.Provider value={state}>{children}</ChainContext.Provider>
}

export function useChain(): ChainState {
  const state = useContext(ChainContext)
  if (!state) throw new Error('useChain outside ChainProvider')
  return state
}
