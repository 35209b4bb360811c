/**
 * Which rollup the pages show. Known chains: the network's own (its manifest names the inbox and a
 * replica) and every agent chain the inbox factory assigned an id (`ChainIdAssigned`). A chain is
 * read through the Seed wallet when it is on that chain, else through a replica's RPC URL.
 */
import { RollupInboxFactoryAbi } from '@seed/contracts'
import {
  type Address,
  createPublicClient,
  custom,
  type EIP1193Provider,
  http,
  type PublicClient,
  webSocket,
} from 'viem'
import { inWindows } from './logs.ts'
import { type Network, toWebSocketUrl } from './network.ts'
import type { ChainSearch } from './params.ts'

export type KnownChain = { chainId: bigint; inbox: Address; rpcUrl: string | undefined; own: boolean }

export async function knownChains({ manifest, l1 }: Network): Promise<KnownChain[]> {
  const own: KnownChain = {
    chainId: BigInt(manifest.rollup.chainId),
    inbox: manifest.contracts.rollupInbox,
    rpcUrl: manifest.rollup.rpcUrl,
    own: true,
  }
  const assigned = await inWindows(l1, (range) =>
    l1.getContractEvents({
      address: manifest.contracts.rollupInboxFactory,
      abi: RollupInboxFactoryAbi,
      eventName: 'ChainIdAssigned',
      ...range,
      strict: true,
    }),
  )
  return [
    own,
    // The network's own inbox is a factory inbox too (its chain id is the one assigned): listed once, as own.
    ...assigned
      .filter((log) => log.args.inbox.toLowerCase() !== own.inbox.toLowerCase())
      .map((log) => ({ chainId: log.args.chainId, inbox: log.args.inbox, rpcUrl: undefined, own: false })),
  ]
}

/** The chain `search` names: by chain id or inbox address, the own chain when it names none. */
export function selectChain(known: KnownChain[], search: ChainSearch): KnownChain | undefined {
  const wanted = search.chain?.toLowerCase()
  const chain = !wanted
    ? known.find((c) => c.own)
    : known.find((c) => (wanted.startsWith('0x') ? c.inbox.toLowerCase() === wanted : c.chainId === BigInt(wanted)))
  if (!chain || !search.rpc) return chain
  return { ...chain, rpcUrl: search.rpc }
}

export type L2 = {
  chain: KnownChain
  /** Where reads go: the wallet's provider or the replica URL. */
  source: 'wallet' | 'replica'
  client: PublicClient
  /** Subscriptions: a WebSocket to the replica, or the wallet (viem polls it when it cannot subscribe). */
  live: PublicClient
  /** The replica answers `rollup_status` (the wallet does not forward node-status methods). */
  replicaUrl: string | undefined
}

export function connectL2(chain: KnownChain, wallet: { provider: EIP1193Provider; chainId: bigint } | undefined) {
  if (wallet && wallet.chainId === chain.chainId) {
    const client = createPublicClient({ transport: custom(wallet.provider) })
    return { chain, source: 'wallet', client, live: client, replicaUrl: chain.rpcUrl } satisfies L2
  }
  if (!chain.rpcUrl) return undefined
  const overWebSocket = chain.rpcUrl.startsWith('ws')
  const client = createPublicClient({
    transport: overWebSocket ? webSocket(chain.rpcUrl) : http(chain.rpcUrl, { batch: true }),
  })
  const live = overWebSocket ? client : createPublicClient({ transport: webSocket(toWebSocketUrl(chain.rpcUrl)) })
  return { chain, source: 'replica', client, live, replicaUrl: chain.rpcUrl } satisfies L2
}
