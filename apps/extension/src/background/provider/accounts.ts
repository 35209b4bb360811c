/** What a connected site sees of the account, and how it stops seeing it. */
import { type Address, numberToHex } from 'viem'
import { accountService } from '../account/account.ts'
import { revokeGrantsOf } from '../grants/revoke-grant.ts'
import { chainOf } from './chains.ts'
import { emitToOrigin } from './events.ts'
import { hasAccountsPermission, revokeAccounts } from './permissions.ts'

/** The account a chain sees: the smart account on L1, the rollup account on the rollup (decision 0401). */
export async function accountsFor(origin: string): Promise<Address[]> {
  if (!(await hasAccountsPermission(origin)) || !(await accountService.isUnlocked())) return []
  const info = await accountService.info()
  if (!info) return []
  return [(await chainOf(origin)).kind === 'l2' ? info.rollupAccount : info.smartAccount]
}

/**
 * Revokes the origin's permission and its chains (it is back on L1), and tells its tabs; then its
 * ERC-7715 grants end on-chain too (a disconnected site could no longer use them, 0208, but their
 * session keys would stay live on the account).
 */
export async function disconnectOrigin(origin: string) {
  const before = await chainOf(origin)
  await revokeAccounts(origin)
  await emitToOrigin(origin, 'accountsChanged', [])
  const after = await chainOf(origin)
  if (after.id !== before.id) await emitToOrigin(origin, 'chainChanged', numberToHex(after.id))
  await revokeGrantsOf(origin)
}
