/** Strict parsing of JSON-RPC params: every bad value becomes -32602 instead of a crash. */
import { type Address, getAddress, type Hex, isAddress, isHex } from 'viem'
import { invalidParams } from '../chain/errors.ts'
import type { CallRequest, StateOverride } from '../exec/call.ts'

/** `current`: latest and pending (the published head); `safe`: safe and finalized (a replica's L1-derived head). */
export type BlockRef = { tag: 'current' | 'safe' } | { number: bigint } | { hash: Hex }

export function param(params: unknown[], i: number): unknown {
  return params[i]
}

export function address(v: unknown, name = 'address'): Address {
  if (typeof v !== 'string' || !isAddress(v, { strict: false }))
    throw invalidParams(`invalid ${name}: expected 20-byte hex`)
  return getAddress(v)
}

export function hexData(v: unknown, name = 'data'): Hex {
  if (typeof v !== 'string' || !isHex(v) || v.length % 2 !== 0)
    throw invalidParams(`invalid ${name}: expected hex bytes`)
  return v
}

export function hash32(v: unknown, name = 'hash'): Hex {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(v))
    throw invalidParams(`invalid ${name}: expected 32-byte hex`)
  return v.toLowerCase() as Hex
}

export function quantity(v: unknown, name = 'quantity'): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v)
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(v))
    throw invalidParams(`invalid ${name}: expected hex quantity`)
  return BigInt(v)
}

export function optQuantity(v: unknown, name: string): bigint | undefined {
  return v === undefined || v === null ? undefined : quantity(v, name)
}

export function bool(v: unknown, name = 'flag'): boolean {
  if (v === undefined) return false
  if (typeof v !== 'boolean') throw invalidParams(`invalid ${name}: expected boolean`)
  return v
}

export function blockRef(v: unknown): BlockRef {
  if (v === undefined || v === null || v === 'latest' || v === 'pending') return { tag: 'current' }
  if (v === 'safe' || v === 'finalized') return { tag: 'safe' }
  if (v === 'earliest') return { number: 0n }
  if (typeof v === 'object' && v !== null) {
    const o = v as { blockHash?: unknown; blockNumber?: unknown }
    if (o.blockHash !== undefined) return { hash: hash32(o.blockHash, 'blockHash') }
    if (o.blockNumber !== undefined) return blockRef(o.blockNumber)
  }
  // A bare string is always a number, even with 64 hex digits: a hash only comes as { blockHash }
  // (EIP-1898) or to the methods that take a hash (eth_getBlockByHash...).
  return { number: quantity(v, 'block number') }
}

export function callRequest(v: unknown): CallRequest {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidParams('invalid call: expected object')
  const o = v as Record<string, unknown>
  const data = o.input ?? o.data
  return {
    from: o.from === undefined || o.from === null ? undefined : address(o.from, 'from'),
    to: o.to === undefined || o.to === null ? null : address(o.to, 'to'),
    gas: optQuantity(o.gas, 'gas'),
    gasPrice: optQuantity(o.gasPrice, 'gasPrice'),
    maxFeePerGas: optQuantity(o.maxFeePerGas, 'maxFeePerGas'),
    maxPriorityFeePerGas: optQuantity(o.maxPriorityFeePerGas, 'maxPriorityFeePerGas'),
    value: optQuantity(o.value, 'value'),
    nonce: optQuantity(o.nonce, 'nonce'),
    data: data === undefined || data === null ? undefined : hexData(data),
    accessList: Array.isArray(o.accessList)
      ? o.accessList.map((a: { address?: unknown; storageKeys?: unknown }) => ({
          address: address(a?.address, 'accessList address'),
          storageKeys: Array.isArray(a?.storageKeys) ? a.storageKeys.map((k) => hash32(k, 'storage key')) : [],
        }))
      : undefined,
    authorizationList: authorizationList(o.authorizationList),
  }
}

/** EIP-7702 authorizations of a call: each a full signed tuple, or -32602. */
function authorizationList(v: unknown): CallRequest['authorizationList'] {
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v)) throw invalidParams('invalid authorizationList: expected an array')
  return v.map((a) => {
    if (typeof a !== 'object' || a === null || Array.isArray(a))
      throw invalidParams('invalid authorization: expected object')
    const o = a as Record<string, unknown>
    const yParity = o.yParity ?? o.v
    return {
      chainId: quantity(o.chainId, 'authorization chainId'),
      address: address(o.address, 'authorization address'),
      nonce: quantity(o.nonce, 'authorization nonce'),
      yParity: quantity(yParity, 'authorization yParity'),
      r: quantity(o.r, 'authorization r'),
      s: quantity(o.s, 'authorization s'),
    }
  })
}

export function stateOverride(v: unknown): StateOverride | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParams('invalid state override: expected object')
  const out: StateOverride = {}
  for (const [addr, raw] of Object.entries(v as Record<string, unknown>)) {
    const o = (raw ?? {}) as Record<string, unknown>
    const slots = (x: unknown) => {
      if (x === undefined) return undefined
      if (typeof x !== 'object' || x === null) throw invalidParams('invalid state override storage')
      return Object.fromEntries(Object.entries(x).map(([k, val]) => [hash32(k, 'slot'), hash32(val, 'slot value')]))
    }
    out[address(addr)] = {
      balance: optQuantity(o.balance, 'balance'),
      nonce: optQuantity(o.nonce, 'nonce'),
      code: o.code === undefined ? undefined : hexData(o.code, 'code'),
      state: slots(o.state),
      stateDiff: slots(o.stateDiff),
    }
  }
  return out
}
