/**
 * EIP-6963: the Seed wallet announces its provider (rdns `dev.seed.wallet`, apps/extension
 * provider/eip6963.ts). When it is there, the explorer reads the chain through it.
 */
import { useSyncExternalStore } from 'react'
import type { EIP1193Provider } from 'viem'

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
