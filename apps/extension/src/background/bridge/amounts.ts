/** Bridge amounts: decimal strings (ether, dollars) at the edges, base units inside. */
import type { BridgeAsset, BridgeTransferParams } from '@seed/agent/api'
import { formatUnits, parseUnits } from 'viem'
import { invalidParams } from '../../core/errors.ts'

const DECIMALS: Record<BridgeAsset, number> = { eth: 18, usd: 6 }

export function parseTransfer(params: unknown, method: string): { asset: BridgeAsset; amount: bigint } {
  const p = (params ?? {}) as Partial<BridgeTransferParams>
  if (p.asset !== 'eth' && p.asset !== 'usd') throw invalidParams(`${method}: asset must be "eth" or "usd"`)
  if (typeof p.amount !== 'string' || !/^\d{1,30}(\.\d{1,18})?$/.test(p.amount.trim()))
    throw invalidParams(`${method}: amount must be a decimal string, e.g. "0.5"`)
  const decimals = DECIMALS[p.asset]
  const [, fraction = ''] = p.amount.trim().split('.')
  if (fraction.length > decimals) throw invalidParams(`${method}: ${p.asset} has ${decimals} decimals`)
  const amount = parseUnits(p.amount.trim(), decimals)
  if (amount === 0n) throw invalidParams(`${method}: amount must be above zero`)
  return { asset: p.asset, amount }
}

export const formatAmount = (asset: BridgeAsset, amount: bigint) => formatUnits(amount, DECIMALS[asset])
