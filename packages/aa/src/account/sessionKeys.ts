/**
 * Session keys: the owner grants a key a scope the account enforces on-chain (SeedAccount.executeAsSession),
 * and can revoke it at once. Grant/revoke are owner-signed user ops calling the account itself.
 */
import { SeedAccountAbi } from '@seed/contracts'
import { type Address, encodeFunctionData, type Hex, toFunctionSelector } from 'viem'
import { SeedAaError } from '../errors.ts'
import type { AgentAccount } from './createAgentAccount.ts'
import { type Call, executeCalls, type SendCallsParameters } from './sendCalls.ts'

/** Selector wildcard: any function of the target. */
export const ANY_SELECTOR = '0xffffffff' as const
/** Selector for plain ETH transfers (empty calldata). */
export const ETH_TRANSFER_SELECTOR = '0x00000000' as const

export type SessionPermission = {
  target: Address
  /** A 4-byte selector, a function signature ('transfer(address,uint256)'), ANY_SELECTOR or ETH_TRANSFER_SELECTOR. */
  selector: Hex | string
}

export type SessionScope = {
  permissions: readonly SessionPermission[]
  /** Wei per period (sum of call values). */
  valueLimit?: bigint
  /** Token units per period, counted on transfer/approve/transferFrom. A token without a limit can't be moved. */
  tokenLimits?: readonly { token: Address; limit: bigint }[]
  /** Seconds; 0 = limits cover the whole session. */
  period?: number
  /** Unix seconds; 0 = never expires. */
  validUntil?: number
  validAfter?: number
}

/**
 * Session ops never pay gas from the account's ETH balance (SeedAccount refuses it): they draw on the
 * account's EntryPoint deposit, a gas budget the owner tops up, or use a paymaster the owner allowed
 * for sessions (`sessionPaymasterCall`).
 */
export function depositGasCall(account: Address, amount: bigint): Call {
  return { to: account, value: amount, data: encodeFunctionData({ abi: SeedAccountAbi, functionName: 'addDeposit' }) }
}

const toSelector = (s: Hex | string): Hex => (/^0x[0-9a-fA-F]{8}$/.test(s) ? (s as Hex) : toFunctionSelector(s))

export function grantSessionKeyCall(account: Address, sessionKey: Address, scope: SessionScope): Call {
  return {
    to: account,
    data: encodeFunctionData({
      abi: SeedAccountAbi,
      functionName: 'grantSessionKey',
      args: [
        sessionKey,
        {
          validAfter: scope.validAfter ?? 0,
          validUntil: scope.validUntil ?? 0,
          period: scope.period ?? 0,
          valueLimit: scope.valueLimit ?? 0n,
          permissions: scope.permissions.map((p) => ({ target: p.target, selector: toSelector(p.selector) })),
          tokenLimits: (scope.tokenLimits ?? []).map((t) => ({ token: t.token, limit: t.limit })),
        },
      ],
    }),
  }
}

/**
 * Lets session-key ops name `paymaster` (or stops them). Allow sponsors that sign each op; a token
 * paymaster would let a session key spend the account's tokens on gas outside its token limits.
 */
export function sessionPaymasterCall(account: Address, paymaster: Address, allowed = true): Call {
  return {
    to: account,
    data: encodeFunctionData({ abi: SeedAccountAbi, functionName: 'setSessionPaymaster', args: [paymaster, allowed] }),
  }
}

export function revokeSessionKeyCall(account: Address, sessionKey: Address): Call {
  return {
    to: account,
    data: encodeFunctionData({ abi: SeedAccountAbi, functionName: 'revokeSessionKey', args: [sessionKey] }),
  }
}

function requireOwner(agent: AgentAccount) {
  if (agent.account.signer !== 'owner') throw new SeedAaError('Only the owner key can grant or revoke session keys.')
}

/**
 * Owner-signed op that grants `sessionKey` the scope (re-granting replaces the scope and resets spend) and,
 * with `gasBudget`, moves that much ETH into the account's EntryPoint deposit for the session's gas.
 */
export async function grantSessionKey(
  agent: AgentAccount,
  {
    sessionKey,
    gasBudget,
    ...scope
  }: SessionScope & { sessionKey: Address; gasBudget?: bigint } & Pick<SendCallsParameters, 'paymaster'>,
) {
  requireOwner(agent)
  const { paymaster, ...rest } = scope
  const calls = [grantSessionKeyCall(agent.address, sessionKey, rest)]
  if (gasBudget) calls.push(depositGasCall(agent.address, gasBudget))
  return executeCalls(agent, { calls, paymaster })
}

/** Owner-signed op that revokes `sessionKey`: its next op fails validation. */
export async function revokeSessionKey(
  agent: AgentAccount,
  { sessionKey, paymaster }: { sessionKey: Address } & Pick<SendCallsParameters, 'paymaster'>,
) {
  requireOwner(agent)
  return executeCalls(agent, { calls: [revokeSessionKeyCall(agent.address, sessionKey)], paymaster })
}

/** The session as stored on-chain (id 0 = no live session). */
export async function getSession(agent: AgentAccount, sessionKey: Address) {
  if (!(await agent.account.isDeployed())) return undefined
  const [id, validAfter, validUntil, period] = await agent.client.readContract({
    address: agent.address,
    abi: SeedAccountAbi,
    functionName: 'sessions',
    args: [sessionKey],
  })
  return id === 0n ? undefined : { id, validAfter, validUntil, period }
}
