/**
 * Nonces of the facilitator's key counted in memory after one read of the account's pending count, where
 * viem's `nonceManager` reads it again for every transaction (a node round trip in each settlement).
 * Concurrent sends still get distinct nonces: each `consume` takes the next number synchronously.
 *
 * The count goes stale when a send fails after its nonce was taken (viem calls `reset`) or when another
 * process sends with the same key; `reset` forgets it and the next send reads the chain again. A send
 * refused as "nonce too low" is therefore worth one retry (`retryStaleNonce`).
 */
import type { NonceManager } from 'viem/accounts'
import { getTransactionCount } from 'viem/actions'

export function localNonces(): NonceManager {
  const next = new Map<string, Promise<number>>()
  const keyOf = ({ address, chainId }: { address: string; chainId: number }) => `${address.toLowerCase()}.${chainId}`
  /** The next nonce for `key`; a rejected one is forgotten, so the send after a failed read reads again. */
  const remember = (key: string, nonce: Promise<number>) => {
    next.set(key, nonce)
    nonce.catch(() => {
      if (next.get(key) === nonce) next.delete(key)
    })
    return nonce
  }
  const get: NonceManager['get'] = ({ address, chainId, client }) => {
    const key = keyOf({ address, chainId })
    return next.get(key) ?? remember(key, getTransactionCount(client, { address, blockTag: 'pending' }))
  }
  const increment: NonceManager['increment'] = (parameters) => {
    const key = keyOf(parameters)
    const known = next.get(key)
    if (known)
      remember(
        key,
        known.then((n) => n + 1),
      )
  }
  return {
    consume(parameters) {
      const nonce = get(parameters)
      increment(parameters)
      return nonce
    },
    get,
    increment,
    reset(parameters) {
      next.delete(keyOf(parameters))
    },
  }
}
