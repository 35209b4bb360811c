/**
 * EIP-6963: the Seed wallet announces its provider (rdns `dev.seed.wallet`, apps/extension
 * provider/eip6963.ts). When it is there, the explorer reads the chain through it.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useSyncExternalStore } from 'react'
import { type Address, BaseError, type EIP1193Provider, type Hash, type Hex, toHex } from 'viem'

export const SEED_WALLET_RDNS = 'dev.seed.wallet'

type Announcement = { info: { rdns: string }; provider: EIP1193Provider }

let seedProvider: EIP1193Provider | undefined
const listeners = new Set<() => void>()

if (typeof window !== 'undefined') {
  window.addEventListener('eip6963:announceProvider', (event) => {
    const detail = (event as CustomEvent<Announcement>).detail
    if (detail?.info?.rdns !== SEED_WALLET_RDNS || seedProvider === detail.provider) return
    seedProvider = detail.provider
    for (const notify of listeners) notify()
  })
  window.dispatchEvent(new Event('eip6963:requestProvider'))
}

export function useSeedWallet(): EIP1193Provider | undefined {
  return useSyncExternalStore(
    (notify) => {
      listeners.add(notify)
      return () => listeners.delete(notify)
    },
    () => seedProvider,
  )
}

/** The account the Seed wallet shows this page (none until connected) and how to connect, shared by every form. */
export function useWalletAccount() {
  const wallet = useSeedWallet()
  const queryClient = useQueryClient()
  const accounts = useQuery({
    queryKey: ['wallet-accounts'],
    enabled: wallet !== undefined,
    queryFn: async () => ((await wallet!.request({ method: 'eth_accounts' })) as Address[])[0] ?? null,
  })
  useEffect(() => {
    if (!wallet) return
    const onAccountsChanged = () => void queryClient.invalidateQueries({ queryKey: ['wallet-accounts'] })
    wallet.on('accountsChanged', onAccountsChanged)
    return () => wallet.removeListener('accountsChanged', onAccountsChanged)
  }, [wallet, queryClient])
  const connect = useMutation({
    mutationFn: () => wallet!.request({ method: 'eth_requestAccounts' }) as Promise<Address[]>,
    onSuccess: (list) => queryClient.setQueryData(['wallet-accounts'], list[0] ?? null),
  })
  // `checking`: the wallet has not answered yet; a page it already connected must not flash "Connect" meanwhile.
  return { wallet, account: accounts.data ?? undefined, checking: accounts.isPending, connect }
}

/**
 * Hands one call to the Seed wallet as `eth_sendTransaction` on `chainId`, moving the wallet there first:
 * the wallet's one action pipeline decides, asks its user and signs; the page only gets the hash.
 * The sender is the account the wallet shows this page on that chain, read after the switch: the smart
 * account on L1, its rollup account on its own rollup (another address).
 */
export async function sendThroughWallet(
  wallet: EIP1193Provider,
  { chainId, call }: { chainId: number; call: { to: Address; data: Hex; value: bigint } },
): Promise<Hash> {
  const wanted = toHex(chainId)
  if ((await wallet.request({ method: 'eth_chainId' })) !== wanted) {
    try {
      await wallet.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: wanted }] })
    } catch (error) {
      if ((error as { code?: unknown }).code === 4902) throw new WalletChainError(chainId)
      throw error
    }
  }
  const [from] = (await wallet.request({ method: 'eth_accounts' })) as Address[]
  if (!from) throw new WalletAccountError()
  return (await wallet.request({
    method: 'eth_sendTransaction',
    params: [{ from, to: call.to, data: call.data, value: toHex(call.value) }],
  })) as Hash
}

/** The wallet does not send on this chain (EIP-3326's 4902): it sends on L1 and on its own rollup. */
export class WalletChainError extends BaseError {
  override name = 'WalletChainError'
  constructor(chainId: number) {
    super(
      `The Seed wallet does not send on chain ${chainId}: it sends on L1 and on its own rollup. Send from the wallet that holds this chain's ETH.`,
    )
  }
}

/** The wallet shows this page no account (disconnected since the page read one). */
export class WalletAccountError extends BaseError {
  override name = 'WalletAccountError'
  constructor() {
    super('The Seed wallet shows this page no account: connect it again.')
  }
}
