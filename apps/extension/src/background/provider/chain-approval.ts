/**
 * wallet_switchEthereumChain / wallet_addEthereumChain to a chain an origin has not been granted:
 * the user sees the chain (id, name, RPC) in the approval window, and approving grants that chain
 * to that origin only (an added chain becomes its read-only chain). The request record carries the
 * chain as the wallet parsed it, so the window shows exactly what approving grants.
 */
import { invalidParams } from '../../core/errors.ts'
import type { PendingRequest } from '../../core/protocol.ts'
import type { ChainDescription } from '../../core/storage.ts'
import { grantChain } from './chains.ts'

export const CHAIN_APPROVAL_METHODS = new Set(['wallet_switchEthereumChain', 'wallet_addEthereumChain'])

/** wallet_addEthereumChain's chain, for a chain the wallet does not run: kept read-only for the origin. */
export function addedChainOf(params: readonly unknown[], chainId: number): ChainDescription {
  const p = params[0] as { chainName?: unknown; rpcUrls?: unknown }
  const rpcUrl = Array.isArray(p.rpcUrls) ? p.rpcUrls[0] : undefined
  if (typeof rpcUrl !== 'string' || !/^https?:\/\//.test(rpcUrl))
    throw invalidParams('Expected rpcUrls: ["http(s)://…"]')
  const name = typeof p.chainName === 'string' ? p.chainName.slice(0, 64) : `Chain ${chainId}`
  return { chainId, name, rpcUrl }
}

/** Runs an approved chain request: the grant (the switch itself follows in the RPC handler). */
export async function grantApprovedChain(request: PendingRequest): Promise<null> {
  await grantChain(request.origin, (request.params as [ChainDescription])[0])
  return null
}
