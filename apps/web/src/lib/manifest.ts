import type { Manifest } from '../../../../packages/devnet/src/manifest.ts'

/** What the server hands the page: the stack's manifest without operator credentials. */
export type PublicManifest = Omit<Manifest, 'operator'>

/** The network's manifest, served next to the app (server.ts). */
export async function loadManifest(url = '/manifest.json'): Promise<PublicManifest> {
  const res = await fetch(url, { cache: 'no-store' })
  if (!res.ok) throw new Error(`${url} answered ${res.status}: is the stack running?`)
  return (await res.json()) as PublicManifest
}
