/**
 * The wallet's ERC-7715 grants: one record per permission context, bound to the origin it was
 * granted to (decision 0207). A context another origin holds, a forged one and a revoked one are
 * all "unknown" to a page, with one answer, so no page learns of another's grants.
 */
import { type Address, encodeAbiParameters, type Hex } from 'viem'
import { ProviderRpcError } from '../../core/errors.ts'
import type { GrantView } from '../../core/protocol.ts'
import { type GrantRecord, stored } from '../../core/storage.ts'

/** What the dApp holds: the account and the session key, so the on-chain session is `sessions[key]` on it. */
export function grantContext(account: Address, sessionKey: Address): Hex {
  return encodeAbiParameters([{ type: 'address' }, { type: 'address' }], [account, sessionKey]).toLowerCase() as Hex
}

export const getGrant = (context: Hex) => stored.grants.item(context.toLowerCase()).get()
export const putGrant = (grant: GrantRecord) => stored.grants.item(grant.context).set(grant)
export const removeGrant = (context: Hex) => stored.grants.removeMany([context.toLowerCase()])

export async function listGrants(origin?: string): Promise<GrantRecord[]> {
  const all = await stored.grants.all()
  return all.filter((g) => origin === undefined || g.origin === origin).sort((a, b) => b.grantedAt - a.grantedAt)
}

/** What the popup may see of a grant: everything but its sealed key and journal. */
export function grantView({ sealedKey: _, revocation: __, ...view }: GrantRecord): GrantView {
  return view
}

export const unknownGrant = () =>
  new ProviderRpcError(4100, 'Unknown permission context: this site holds no live grant with it.')

/** The grant `origin` may act under with `context` now (unix seconds), or 4100. */
export async function grantForUse(origin: string, context: unknown, now: number): Promise<GrantRecord> {
  if (typeof context !== 'string' || !/^0x[0-9a-fA-F]{2,512}$/.test(context)) {
    throw new ProviderRpcError(-32602, 'capabilities.permissions.context must be a permission context ("0x…")')
  }
  const grant = await getGrant(context as Hex)
  if (!grant || grant.origin !== origin || grant.status !== 'active') throw unknownGrant()
  if (now >= grant.expiry) {
    throw new ProviderRpcError(4100, `This grant expired at ${new Date(grant.expiry * 1000).toISOString()}.`)
  }
  return grant
}

/** The `permissions` capability of a wallet_sendCalls bundle, if it asks to send under a grant. */
export function permissionsCapability(bundle: unknown): { context: unknown } | undefined {
  const capabilities = (bundle as { capabilities?: { permissions?: unknown } } | undefined)?.capabilities
  const permissions = capabilities?.permissions
  if (permissions === undefined) return undefined
  if (typeof permissions !== 'object' || permissions === null) {
    throw new ProviderRpcError(-32602, 'capabilities.permissions must be { context }')
  }
  return { context: (permissions as { context?: unknown }).context }
}
