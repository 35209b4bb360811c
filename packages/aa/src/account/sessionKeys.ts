/**
 * Session keys: the owner grants a key a scope the account enforces on-chain (SeedAccount.executeAsSession),
 * and can revoke it at once. Grant/revoke are owner-signed user ops calling the account itself.
 */
import { SeedAccountAbi } from '@seed/contracts'
import { type Address, encodeFunctionData, type Hex, parseGwei, toFunctionSelector } from 'viem'
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

/** Per-op fee caps of a session's user ops, enforced by the account in validation. */
export type SessionFeeCaps = {
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
  maxPreVerificationGas: bigint
}

/** Caps for sessions that set none: far above an ordinary op, far below a fee-drain attempt. */
export const DEFAULT_SESSION_FEE_CAPS: SessionFeeCaps = {
  maxFeePerGas: parseGwei('100'),
  maxPriorityFeePerGas: parseGwei('10'),
  maxPreVerificationGas: 500_000n,
}

export type SessionScope = {
  permissions: readonly SessionPermission[]
  /** Wei per period (sum of call values). */
  valueLimit?: bigint
  /**
   * Token units per period, counted on transfer/approve/transferFrom; a token with a limit takes no other call
   * (transferAndCall, increaseAllowance...), and a token without a limit can't be moved by those three.
   * Revoking the session resets to zero every allowance it approved (up to 8 spenders per session).
   */
  tokenLimits?: readonly { token: Address; limit: bigint }[]
  /**
   * Wei per period the session's ops may cost the account's EntryPoint deposit, each op counted at its maximum
   * cost ((verification + call + preVerification gas) × maxFeePerGas). 0 = only through an allowed paymaster.
   */
  gasBudget?: bigint
  feeCaps?: SessionFeeCaps
  /** Seconds, rolling (never more than a limit within any `period` seconds); 0 = limits cover the whole session. */
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
          gas: { budget: scope.gasBudget ?? 0n, ...(scope.feeCaps ?? DEFAULT_SESSION_FEE_CAPS) },
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
 * Owner-signed op that grants `sessionKey` the scope (re-granting ends the old session, as a revocation does,
 * and starts fresh) and, with `gasBudget`, moves that much ETH into the account's EntryPoint deposit for the
 * session's gas.
 */
export async function grantSessionKey(
  agent: AgentAccount,
  { sessionKey, paymaster, ...scope }: SessionScope & { sessionKey: Address } & Pick<SendCallsParameters, 'paymaster'>,
) {
  requireOwner(agent)
  const calls = [grantSessionKeyCall(agent.address, sessionKey, scope)]
  if (scope.gasBudget) calls.push(depositGasCall(agent.address, scope.gasBudget))
  return executeCalls(agent, { calls, paymaster })
}

/** Owner-signed op that revokes `sessionKey`: its next op fails validation, and its approvals are reset to zero. */
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
