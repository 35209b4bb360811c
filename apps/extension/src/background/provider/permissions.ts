/** Per-origin EIP-2255 permissions, persisted in chrome.storage.local. */
import type { Permission } from '../../core/storage.ts'
import { stored } from '../../core/storage.ts'
import { forgetSiteChains } from './chains.ts'

export async function getPermissions(origin: string): Promise<Permission[]> {
  return (await stored.permissions.get())[origin] ?? []
}

export async function hasAccountsPermission(origin: string) {
  return (await getPermissions(origin)).some((p) => p.parentCapability === 'eth_accounts')
}

export async function grantAccounts(origin: string): Promise<Permission[]> {
  const all = await stored.permissions.get()
  all[origin] = [{ parentCapability: 'eth_accounts', invoker: origin, date: Date.now() }]
  await stored.permissions.set(all)
  return all[origin]
}

/** A disconnected origin loses its chains too: reconnecting asks again for any chain but L1. */
export async function revokeAccounts(origin: string) {
  const all = await stored.permissions.get()
  delete all[origin]
  await stored.permissions.set(all)
  await forgetSiteChains(origin)
}

export async function connectedOrigins(): Promise<{ origin: string; date: number }[]> {
  const all = await stored.permissions.get()
  return Object.entries(all).map(([origin, perms]) => ({ origin, date: perms[0]?.date ?? 0 }))
}
