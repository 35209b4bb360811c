/**
 * eth_signTypedData_v4 payloads: parsed once (dApps send JSON text or an object) and turned into
 * what the approval screen shows: the domain, each field of the message, and what a permit or
 * transfer authorisation lets someone do with the account's tokens.
 */
import { type Address, formatUnits, getAddress, isAddress, type TypedDataDomain } from 'viem'
import { invalidParams } from '../../core/errors.ts'
import type { TypedDataSummary } from '../../core/protocol.ts'

export type TypedDataParam = {
  domain?: TypedDataDomain
  types: Record<string, { name: string; type: string }[]>
  primaryType: string
  message: Record<string, unknown>
}

export function parseTypedDataParam(raw: unknown): TypedDataParam {
  let value: unknown = raw
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw)
    } catch {
      throw invalidParams('eth_signTypedData_v4: the typed data is not valid JSON')
    }
  }
  const t = value as Partial<TypedDataParam> | undefined
  if (!t || typeof t !== 'object' || typeof t.primaryType !== 'string' || !t.types || !t.message) {
    throw invalidParams('eth_signTypedData_v4: expected { domain, types, primaryType, message }')
  }
  return t as TypedDataParam
}

type Token = { symbol: string; decimals: number }

/** Fields in display order (nested structs flattened as `a.b`), and the spend in words. */
export function summarizeTypedData(
  typedData: TypedDataParam,
  tokenOf: (address: Address) => Token | undefined,
): TypedDataSummary {
  const fields: { name: string; value: string }[] = []
  const walk = (type: string, value: unknown, prefix: string) => {
    const members = typedData.types[type]
    if (!members || typeof value !== 'object' || value === null) {
      fields.push({ name: prefix, value: typeof value === 'object' ? JSON.stringify(value) : String(value) })
      return
    }
    for (const member of members) {
      walk(
        member.type,
        (value as Record<string, unknown>)[member.name],
        prefix ? `${prefix}.${member.name}` : member.name,
      )
    }
  }
  walk(typedData.primaryType, typedData.message, '')
  const domain = typedData.domain ?? {}
  const token = isAddress(String(domain.verifyingContract ?? ''))
    ? getAddress(String(domain.verifyingContract))
    : undefined
  const known = token ? tokenOf(token) : undefined
  const amount = (v: unknown) => {
    try {
      return known
        ? `${formatUnits(BigInt(v as string), known.decimals)} ${known.symbol}`
        : `${BigInt(v as string)} units`
    } catch {
      return String(v)
    }
  }
  const m = typedData.message
  let spend: string | undefined
  if (typedData.primaryType === 'Permit' && m.spender !== undefined) {
    spend = `Lets ${m.spender} spend up to ${amount(m.value)} of this account's tokens (EIP-2612 permit).`
  } else if (
    typedData.primaryType === 'TransferWithAuthorization' ||
    typedData.primaryType === 'ReceiveWithAuthorization'
  ) {
    spend = `Moves ${amount(m.value)} to ${m.to} (EIP-3009 authorisation).`
  }
  return {
    primaryType: typedData.primaryType,
    domain: {
      name: domain.name,
      version: domain.version,
      chainId: domain.chainId === undefined ? undefined : Number(domain.chainId),
      verifyingContract: domain.verifyingContract,
    },
    contract: known ? `${known.symbol} token` : undefined,
    fields,
    spend,
  }
}
