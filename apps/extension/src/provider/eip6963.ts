/** EIP-6963: announce the provider on load and whenever a dApp asks. */
import type { SeedProvider } from './seed-provider.ts'

const ICON = `data:image/svg+xml;base64,${btoa(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#14532d"/><path d="M32 12c10 6 14 16 10 28-3 8-10 12-10 12s-7-4-10-12c-4-12 0-22 10-28z" fill="#86efac"/><path d="M32 22v28" stroke="#14532d" stroke-width="3"/></svg>',
)}`

export function announceProvider(provider: SeedProvider) {
  const info = Object.freeze({ uuid: crypto.randomUUID(), name: 'Seed', icon: ICON, rdns: 'dev.seed.wallet' })
  const announce = () =>
    window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }))
  announce()
  window.addEventListener('eip6963:requestProvider', announce)
}
