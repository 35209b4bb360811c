/**
 * ERC-7715 requests as the wallet reads them (decision 0207). Two shapes reach it:
 * - `wallet_requestExecutionPermissions` (the current draft, as MetaMask ships it): an array of
 *   `{ chainId, address?, signer?, permission: { type, isAdjustmentAllowed, data }, rules?: [{ type: 'expiry' }] }`,
 *   one grant (one context) per entry;
 * - `wallet_grantPermissions` (the earlier draft, what viem's `erc7715Actions().grantPermissions` sends):
 *   one `{ expiry, permissions: [{ type, data, policies, required }], signer? }`, one grant for all of them.
 * Both become the same `GrantRequest`; anything the wallet cannot enforce on-chain is refused with
 * -32602 and a message that says what to send instead.
 */
import { type Address, getAddress, type Hex, isAddress, maxUint128 } from 'viem'
import { invalidParams } from '../../core/errors.ts'
import type { GrantPermission } from '../../core/records.ts'

export const GRANT_METHODS = ['wallet_requestExecutionPermissions', 'wallet_grantPermissions'] as const
export type GrantMethod = (typeof GRANT_METHODS)[number]
export const PERMISSION_TYPES = [
  'native-token-periodic',
  'erc20-token-periodic',
  'native-token-allowance',
  'erc20-token-allowance',
] as const
export const RULE_TYPES = ['expiry'] as const

/** Bounds that keep one request small: the approval must fit on a screen, the grant in one user op. */
const MAX_GRANTS = 4
const MAX_TARGETS = 16
const MAX_UINT48 = 2 ** 48 - 1
/** The request is kept (and echoed back) as sent: a page cannot park megabytes in the wallet's storage. */
const MAX_REQUEST_BYTES = 16_384

/** A permission before the wallet looked its token up (symbol, decimals). */
export type RequestedPermission =
  | Extract<GrantPermission, { targets: Address[] }>
  | Omit<Extract<GrantPermission, { tokenAddress: Address }>, 'symbol' | 'decimals'>

/** One on-chain session to install: one context for the dApp. Amounts are decimal strings (JSON-safe). */
export type SessionGrant<P = GrantPermission> = {
  permissions: P[]
  period: number
  startTime: number
  expiry: number
  /** Wei per period for the session's gas; undefined = the wallet's default. */
  gasBudget?: string
  /** The entry as the dApp sent it, echoed back in the response (the draft's response repeats the request). */
  requested: Record<string, unknown>
}

export type GrantRequest<P = GrantPermission> = {
  method: GrantMethod
  /** The account the dApp named (`address`/`from`), if any: it must be the site's account. */
  address?: Address
  chainId?: number
  grants: SessionGrant<P>[]
  /** viem's request (wallet_grantPermissions): its top-level fields, echoed back. */
  requested?: Record<string, unknown>
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function amount(value: unknown, field: string): string {
  let parsed: bigint | undefined
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(value)) parsed = BigInt(value)
  else if (typeof value === 'string' && /^[0-9]{1,78}$/.test(value)) parsed = BigInt(value)
  else if (typeof value === 'number' && Number.isSafeInteger(value)) parsed = BigInt(value)
  if (parsed === undefined) throw invalidParams(`${field} must be a hex amount ("0x…") in the token's smallest unit`)
  if (parsed <= 0n || parsed > maxUint128) throw invalidParams(`${field} must be above 0 and below 2^128`)
  return parsed.toString()
}

function seconds(value: unknown, field: string, { min = 1 } = {}): number {
  const parsed = typeof value === 'string' && /^0x[0-9a-fA-F]{1,12}$/.test(value) ? Number(value) : value
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed) || parsed < min || parsed > MAX_UINT48) {
    throw invalidParams(`${field} must be a whole number of seconds`)
  }
  return parsed
}

function address(value: unknown, field: string): Address {
  if (typeof value !== 'string' || !isAddress(value, { strict: false }))
    throw invalidParams(`${field} must be an address`)
  return getAddress(value)
}

function chainIdOf(value: unknown): number {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(value)) return Number(value)
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value
  throw invalidParams('chainId must be a hex chain id ("0x…")')
}

/** Unix seconds in the future; a millisecond timestamp (viem's docs show one) is refused, not read as year 50000. */
function expiryOf(value: unknown, now: number): number {
  const expiry = seconds(value, 'expiry')
  if (expiry > 100_000_000_000) throw invalidParams('expiry must be in seconds since 1970, not milliseconds')
  if (expiry <= now) throw invalidParams('expiry must be in the future')
  return expiry
}

/**
 * Only the wallet signs for Seed grants: the dApp asks the wallet to send under the grant
 * (`wallet_sendCalls` with the `permissions` capability), decision 0208.
 */
function requireWalletSigner(signer: unknown, to: unknown) {
  if (to !== undefined) throw invalidParams(walletSignerOnly('a "to" session account'))
  if (signer === undefined) return
  if (!isObject(signer) || typeof signer.type !== 'string') throw invalidParams('signer must be { type: "wallet" }')
  if (signer.type !== 'wallet') throw invalidParams(walletSignerOnly(`signer type "${signer.type}"`))
}

const walletSignerOnly = (what: string) =>
  `Seed does not grant to ${what}: its grants are wallet-managed (signer { type: "wallet" } or none); use a grant with wallet_sendCalls and capabilities.permissions.context.`

/** One permission entry: its type, amount per period, period, start and targets. */
function permissionOf(raw: unknown, field: string) {
  if (!isObject(raw)) throw invalidParams(`${field} must be an object`)
  const type = raw.type
  if (typeof type !== 'string' || !(PERMISSION_TYPES as readonly string[]).includes(type)) {
    throw invalidParams(
      `${field}.type ${JSON.stringify(type)} is not supported; Seed grants ${PERMISSION_TYPES.join(', ')}`,
    )
  }
  const data = raw.data
  if (!isObject(data)) throw invalidParams(`${field}.data must be an object`)
  // A periodic amount renews every period; an allowance (period 0 on-chain) covers the whole grant.
  const allowance = type.endsWith('-allowance')
  const total = allowance
    ? amount(data.allowanceAmount, `${field}.data.allowanceAmount`)
    : amount(data.periodAmount, `${field}.data.periodAmount`)
  const period = allowance ? 0 : seconds(data.periodDuration, `${field}.data.periodDuration`)
  const startTime = data.startTime === undefined ? undefined : seconds(data.startTime, `${field}.data.startTime`)
  const justification =
    typeof data.justification === 'string' ? { justification: data.justification.slice(0, 280) } : {}
  let permission: RequestedPermission
  if (type.startsWith('native-')) {
    // SeedAccount scopes a session by target: an ETH allowance names who may be paid.
    const targets = data.targets
    if (!Array.isArray(targets) || targets.length === 0 || targets.length > MAX_TARGETS) {
      throw invalidParams(
        `${field}.data.targets must list the 1 to ${MAX_TARGETS} addresses this allowance may pay (Seed enforces targets on-chain)`,
      )
    }
    permission = {
      type: type as 'native-token-periodic' | 'native-token-allowance',
      amount: total,
      targets: [...new Set(targets.map((t, i) => address(t, `${field}.data.targets[${i}]`)))],
      ...justification,
    }
  } else {
    permission = {
      type: type as 'erc20-token-periodic' | 'erc20-token-allowance',
      tokenAddress: address(data.tokenAddress, `${field}.data.tokenAddress`),
      amount: total,
      ...justification,
    }
  }
  return { permission, period, startTime }
}

function rulesExpiry(rules: unknown, now: number): number | undefined {
  if (rules === undefined) return undefined
  if (!Array.isArray(rules) || rules.length > RULE_TYPES.length) {
    throw invalidParams(`rules must be an array of at most ${RULE_TYPES.length} rule(s)`)
  }
  let expiry: number | undefined
  for (const [i, rule] of rules.entries()) {
    if (!isObject(rule) || rule.type !== 'expiry') {
      throw invalidParams(`rules[${i}].type must be one of: ${RULE_TYPES.join(', ')}`)
    }
    expiry = expiryOf((rule.data as Record<string, unknown> | undefined)?.timestamp, now)
  }
  return expiry
}

/** wallet_requestExecutionPermissions: one grant per entry. */
function parseDraft(params: unknown[], now: number): GrantRequest<RequestedPermission> {
  if (params.length === 0 || params.length > MAX_GRANTS) {
    throw invalidParams(`Expected 1 to ${MAX_GRANTS} permission requests`)
  }
  let chainId: number | undefined
  let account: Address | undefined
  const grants = params.map((entry, i): SessionGrant<RequestedPermission> => {
    if (!isObject(entry)) throw invalidParams(`params[${i}] must be an object`)
    requireWalletSigner(entry.signer, entry.to)
    const entryChain = chainIdOf(entry.chainId)
    if (chainId !== undefined && entryChain !== chainId) throw invalidParams('All requests must name the same chain')
    chainId = entryChain
    const named = entry.address ?? entry.from
    if (named !== undefined) account = address(named, `params[${i}].address`)
    const { permission, period, startTime } = permissionOf(entry.permission, `params[${i}].permission`)
    const expiry =
      rulesExpiry(entry.rules, now) ?? (entry.expiry === undefined ? undefined : expiryOf(entry.expiry, now))
    if (expiry === undefined)
      throw invalidParams(`params[${i}] needs an expiry rule ({ type: "expiry", data: { timestamp } })`)
    return { permissions: [permission], period, startTime: startTime ?? now, expiry, requested: entry }
  })
  return { method: 'wallet_requestExecutionPermissions', chainId, ...(account ? { address: account } : {}), grants }
}

/** wallet_grantPermissions as viem sends it: one grant for every permission (they share the period). */
function parseViem(params: unknown[], now: number): GrantRequest<RequestedPermission> {
  const request = params[0]
  if (params.length !== 1 || !isObject(request)) throw invalidParams('Expected [{ expiry, permissions, signer? }]')
  requireWalletSigner(request.signer, undefined)
  const expiry = expiryOf(request.expiry, now)
  const entries = request.permissions
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_GRANTS) {
    throw invalidParams(`permissions must list 1 to ${MAX_GRANTS} permissions`)
  }
  let gasBudget: string | undefined
  const parsed = entries.map((entry, i) => {
    const policies = (entry as Record<string, unknown>)?.policies ?? []
    if (!Array.isArray(policies)) throw invalidParams(`permissions[${i}].policies must be an array`)
    for (const [j, policy] of policies.entries()) {
      // The session's gas budget is the one policy a SeedAccount session adds to the periodic amount.
      if (!isObject(policy) || policy.type !== 'gas-limit') {
        throw invalidParams(
          `permissions[${i}].policies[${j}]: only "gas-limit" is supported (amounts and periods go in data)`,
        )
      }
      gasBudget = amount(
        (policy.data as Record<string, unknown> | undefined)?.limit,
        `permissions[${i}].policies[${j}].data.limit`,
      )
    }
    return permissionOf(entry, `permissions[${i}]`)
  })
  const period = parsed[0]!.period
  if (parsed.some((p) => p.period !== period))
    throw invalidParams('All permissions of one grant must share one periodDuration (an allowance has none)')
  const startTime = parsed[0]!.startTime ?? now
  const tokens = parsed.flatMap((p) => ('tokenAddress' in p.permission ? [p.permission.tokenAddress] : []))
  if (new Set(tokens).size !== tokens.length || parsed.filter((p) => 'targets' in p.permission).length > 1) {
    throw invalidParams('One grant holds at most one allowance per token')
  }
  const { permissions: _, ...requested } = request
  return {
    method: 'wallet_grantPermissions',
    grants: [
      {
        permissions: parsed.map((p) => p.permission),
        period,
        startTime,
        expiry,
        ...(gasBudget ? { gasBudget } : {}),
        requested: { permissions: entries },
      },
    ],
    requested,
  }
}

/** Parses a grant request or throws -32602 saying what is wrong. `now` in unix seconds. */
export function parseGrantRequest(
  method: GrantMethod,
  params: unknown[],
  now: number,
): GrantRequest<RequestedPermission> {
  if (JSON.stringify(params).length > MAX_REQUEST_BYTES) {
    throw invalidParams(`The request is over ${MAX_REQUEST_BYTES / 1024} KiB`)
  }
  return method === 'wallet_grantPermissions' ? parseViem(params, now) : parseDraft(params, now)
}

/** The permission context parameter of wallet_revokeExecutionPermission: `{ permissionContext }` or `[{ … }]`. */
export function revokeContextOf(params: unknown[]): Hex {
  const context = (params[0] as { permissionContext?: unknown } | undefined)?.permissionContext
  if (typeof context !== 'string' || !/^0x[0-9a-fA-F]{2,512}$/.test(context)) {
    throw invalidParams('Expected [{ permissionContext: "0x…" }]')
  }
  return context.toLowerCase() as Hex
}
