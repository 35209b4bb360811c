/**
 * How the policy sees an EIP-712 payload: which of the wallet's own domains it names (never signed
 * for a page), and whether it looks like it moves value without mapping to a spend the wallet can
 * count (Permit2, order formats, unknown structs with spender/amount fields).
 */
import type { Address } from 'viem'
import type { PolicyCall } from './decodeSpend.ts'
import { typedDataSpend } from './guardedSign.ts'
import type { TypedDataSignature } from './types.ts'

export type TypedDataPayload = {
  domain?: { name?: string; verifyingContract?: string; [k: string]: unknown }
  types: Record<string, readonly { name: string; type: string }[]>
  primaryType: string
  message: Record<string, unknown>
}

/**
 * Domain names of the wallet's own signatures (user ops, the account's ERC-1271 wrapper, a bounty's epoch
 * vouchers, which only the wallet's payer signs after a passed probe, decision 0802): no page has a reason to
 * use them. Tokens the wallet knows (Seed USD permits) are not protected: only the account
 * and the EntryPoint as `verifyingContract` are.
 */
const PROTECTED_NAMES = new Set(['SeedAccount', 'ERC4337', 'SeedBountyEscrow'])
/** Permit2 and common order formats: move value, and the wallet has no spend mapping for them. */
const KNOWN_VALUE_MOVING = new Set([
  'PermitSingle',
  'PermitBatch',
  'PermitTransferFrom',
  'PermitBatchTransferFrom',
  'PermitWitnessTransferFrom',
  'PermitBatchWitnessTransferFrom',
  'OrderComponents',
  'LimitOrder',
])
const VALUE_FIELD = /^(spender|amount|value|permitted|details|token|sellAmount|buyAmount)$|Amount$/

function hasValueFields(types: TypedDataPayload['types'], type: string, seen = new Set<string>()): boolean {
  const members = types[type.replace(/\[\d*\]$/, '')]
  if (!members || seen.has(type)) return false
  seen.add(type)
  return members.some((m) => VALUE_FIELD.test(m.name) || hasValueFields(types, m.type, seen))
}

export function typedDataAction(
  typedData: TypedDataPayload,
  protectedContracts: readonly Address[],
): { calls: PolicyCall[]; signature: TypedDataSignature } {
  const calls = typedDataSpend(typedData as never)
  const domain = typedData.domain ?? {}
  const contract = typeof domain.verifyingContract === 'string' ? domain.verifyingContract.toLowerCase() : undefined
  const protectedDomain =
    (typeof domain.name === 'string' && PROTECTED_NAMES.has(domain.name)) ||
    (contract !== undefined && protectedContracts.some((a) => a.toLowerCase() === contract))
  const undecodedSpend =
    calls.length === 0 &&
    (KNOWN_VALUE_MOVING.has(typedData.primaryType) || hasValueFields(typedData.types, typedData.primaryType))
  return {
    calls,
    signature: {
      kind: 'typedData',
      primaryType: typedData.primaryType,
      ...(protectedDomain ? { protectedDomain } : {}),
      ...(undecodedSpend ? { undecodedSpend } : {}),
    },
  }
}
