/**
 * Live data: heads come from subscriptions (`eth_subscribe` newHeads over the WebSocket; viem polls
 * only a provider that cannot subscribe) and are written into the query cache, so every page that
 * shows a head or derives from it updates without a reload and without its own timer.
 */
import { RollupInboxAbi } from '@seed/contracts'
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { Block, PublicClient } from 'viem'
import { useChain } from './chain-context.tsx'

export type Layer = 'l1' | 'l2'

export const headKey = (key: readonly unknown[], layer: Layer) => ['head', layer, ...(layer === 'l2' ? key : [])]

function subscribeHead(client: PublicClient, queryClient: QueryClient, queryKey: unknown[]) {
  return client.watchBlocks({
    emitOnBegin: true,
    onBlock: (block) => {
      // A reconnecting socket can replay an older head: never move the shown head backwards.
      const shown = queryClient.getQueryData<Block>(queryKey)
      if (!shown || (shown.number ?? 0n) <= (block.number ?? 0n)) queryClient.setQueryData(queryKey, block)
    },
    onError: () => void queryClient.invalidateQueries({ queryKey }),
  })
}

/** Mounted once in the layout: the L1 and selected L2 heads and the inbox's batches, live. */
export function useLiveSubscriptions() {
  const { network, l2, chain, key } = useChain()
  const queryClient = useQueryClient()
  useEffect(() => subscribeHead(network.l1Live, queryClient, headKey(key, 'l1')), [network, queryClient, key])
  useEffect(() => (l2 ? subscribeHead(l2.live, queryClient, headKey(key, 'l2')) : undefined), [l2, queryClient, key])
  useEffect(() => {
    if (!chain) return
    return network.l1Live.watchContractEvent({
      address: chain.inbox,
      abi: RollupInboxAbi,
      eventName: 'BatchPosted',
      onLogs: () => void queryClient.invalidateQueries({ queryKey: ['batches', chain.inbox] }),
    })
  }, [network, chain, queryClient])
}

/** The latest head of a layer: fetched once, then kept current by the subscription. */
export function useHead(layer: Layer) {
  const { network, l2, key } = useChain()
  const client = layer === 'l1' ? network.l1 : l2?.client
  return useQuery({
    queryKey: headKey(key, layer),
    enabled: client !== undefined,
    queryFn: () => client!.getBlock(),
    staleTime: Number.POSITIVE_INFINITY,
  })
}

/** A sealed block never changes: cached for good, shared by lists, charts and the block page. */
export function blockQuery(client: PublicClient, key: readonly unknown[], layer: Layer, blockNumber: bigint) {
  return {
    queryKey: ['block', layer, ...(layer === 'l2' ? key : []), String(blockNumber)],
    queryFn: () => client.getBlock({ blockNumber, includeTransactions: true }),
    staleTime: Number.POSITIVE_INFINITY,
  }
}

/** The `count` blocks up to `head`, newest first, each from the block cache. */
export async function latestBlocks(
  queryClient: QueryClient,
  client: PublicClient,
  key: readonly unknown[],
  layer: Layer,
  head: bigint,
  count: number,
) {
  const numbers = Array.from({ length: Math.min(count, Number(head) + 1) }, (_, i) => head - BigInt(i))
  return Promise.all(numbers.map((n) => queryClient.fetchQuery(blockQuery(client, key, layer, n))))
}
