/** A grant as SeedAccount enforces it: its session key's scope (decisions 0201, 0206, 0207). */
import { ANY_SELECTOR, ETH_TRANSFER_SELECTOR, type SessionPermission, type SessionScope } from '@seed/aa'
import { type Address, parseEther } from 'viem'
import type { GrantPermission } from '../../core/records.ts'

/** Gas a grant's ops may cost the account's EntryPoint deposit per period, unless the dApp asked (gas-limit). */
export const DEFAULT_GRANT_GAS_BUDGET = parseEther('0.01')

export type ScopedGrant = {
  permissions: GrantPermission[]
  period: number
  startTime: number
  expiry: number
  gasBudget: bigint
}

/**
 * ETH allowances may pay their targets only (plain transfers; any call too for a pairing's key), an ERC-20 allowance may only be
 * `transfer`red; both per rolling period. A start in the past is no start (the chain's clock may lag
 * the browser's by a little, and a session valid only "from now" would refuse its first op).
 */
export function sessionScopeOf(grant: ScopedGrant, now: number): SessionScope {
  const permissions: SessionPermission[] = []
  let valueLimit = 0n
  const tokenLimits: { token: Address; limit: bigint }[] = []
  for (const p of grant.permissions) {
    if ('targets' in p) {
      valueLimit = BigInt(p.amount)
      const selector = p.calls === 'any' ? ANY_SELECTOR : ETH_TRANSFER_SELECTOR
      for (const target of p.targets) permissions.push({ target, selector })
    } else {
      tokenLimits.push({ token: p.tokenAddress, limit: BigInt(p.amount) })
      permissions.push({ target: p.tokenAddress, selector: 'transfer(address,uint256)' })
    }
  }
  return {
    permissions,
    valueLimit,
    tokenLimits,
    gasBudget: grant.gasBudget,
    period: grant.period,
    validAfter: grant.startTime > now ? grant.startTime : 0,
    validUntil: grant.expiry,
  }
}
