/** Genesis JSON (geth-like alloc; quantities as hex or decimal strings) ⇄ Genesis. */
import { l2BridgePredeploys } from '@seed/contracts'
import type { Address, Hex } from 'viem'
import type { Genesis } from '../chain/types.ts'

export type GenesisJson = {
  chainId: number | string
  timestamp?: number | string
  gasLimit?: number | string
  baseFeePerGas?: number | string
  coinbase?: string
  alloc: Record<string, { balance?: string; nonce?: number | string; code?: string; storage?: Record<string, string> }>
}

export class InvalidGenesisError extends Error {
  override name = 'InvalidGenesisError'
  shortMessage = 'The genesis file is invalid.'
}

const big = (v: number | string | undefined, name: string): bigint | undefined => {
  if (v === undefined) return undefined
  try {
    return BigInt(v)
  } catch {
    throw new InvalidGenesisError(`invalid ${name}: ${v}`)
  }
}

export function parseGenesis(json: unknown): Genesis {
  const g = json as GenesisJson
  if (typeof g !== 'object' || g === null || g.chainId === undefined || typeof g.alloc !== 'object') {
    throw new InvalidGenesisError('genesis needs chainId and alloc')
  }
  const alloc: Genesis['alloc'] = {}
  for (const [address, a] of Object.entries(g.alloc)) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new InvalidGenesisError(`invalid alloc address ${address}`)
    alloc[address as Address] = {
      balance: big(a.balance, `balance of ${address}`),
      nonce: big(a.nonce, `nonce of ${address}`),
      code: a.code as Hex | undefined,
      storage: a.storage as Record<Hex, Hex> | undefined,
    }
  }
  return {
    chainId: big(g.chainId, 'chainId') as bigint,
    timestamp: big(g.timestamp, 'timestamp'),
    gasLimit: big(g.gasLimit, 'gasLimit'),
    baseFeePerGas: big(g.baseFeePerGas, 'baseFeePerGas'),
    coinbase: g.coinbase as Address | undefined,
    alloc,
  }
}

/**
 * The bridge predeploys (SPEC §10.3, §10.4) as genesis JSON alloc entries: what makes a chain a v2 (bridged)
 * chain, whose output roots commit to the message passer's storage.
 */
export function bridgeAlloc(inbox: Address): GenesisJson['alloc'] {
  return Object.fromEntries(
    Object.entries(l2BridgePredeploys({ inbox })).map(([address, a]) => [address, { ...a, balance: '0x0' }]),
  )
}

/**
 * A development genesis: the given addresses funded with 10,000 ETH each, and with `inbox` the bridge
 * predeploys for that L1 RollupInbox (a v2 chain).
 */
export function devGenesis(
  chainId: number,
  funded: readonly Address[],
  { inbox }: { inbox?: Address } = {},
): GenesisJson {
  return {
    chainId,
    timestamp: 0,
    alloc: {
      ...(inbox && bridgeAlloc(inbox)),
      ...Object.fromEntries(funded.map((a) => [a, { balance: `0x${(10_000n * 10n ** 18n).toString(16)}` }])),
    },
  }
}
