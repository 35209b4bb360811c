/**
 * EIP-1193 connectivity (decision 0412). A chain whose RPC stops answering (L1 down, rollup node not
 * running, a site-added chain on a dead port) is marked down: requests for it get 4901 and the
 * sites on it get `disconnect` (4901). While any chain is down the worker probes it (eth_chainId)
 * every second, and the minute alarm restarts probing after a worker restart; the first answer
 * marks it up again and the sites get `connect` with its chain id.
 */
import { createPublicClient, http, numberToHex } from 'viem'
import { ErrorCode, ProviderRpcError, serializeError } from '../../core/errors.ts'
import { stored } from '../../core/storage.ts'
import { l1Client } from '../account/clients.ts'
import { rollupService } from '../rollup/rollup.ts'
import { l1ChainId, type SelectedChain } from './chains.ts'
import { emitToChain, emitToOrigin } from './events.ts'

const PROBE_TIMEOUT_MS = 2_000
const PROBE_EVERY_MS = 1_000

export const chainDisconnected = (chainId: number, detail?: string) =>
  new ProviderRpcError(
    ErrorCode.chainDisconnected,
    `The wallet cannot reach chain ${numberToHex(chainId)}${detail ? ` (${detail})` : ''}.`,
  )

/** Errors that mean "the chain's RPC did not answer" (not "it answered with an error"). */
export function isUnreachable(error: unknown): boolean {
  const e = error as { name?: string; code?: number; message?: string; cause?: unknown } | undefined
  if (!e) return false
  if (e.name === 'HttpRequestError' || e.name === 'TimeoutError') return true
  if (e.code === ErrorCode.disconnected) return true // the rollup's offscreen document did not answer
  if (/fetch failed|Failed to fetch|ECONNREFUSED|NetworkError/i.test(String(e.message))) return true
  return e.cause !== undefined && e.cause !== error && isUnreachable(e.cause)
}

async function downChains() {
  return stored.chainsDown.get()
}

export async function isDown(chainId: number) {
  return (await downChains())[chainId] !== undefined
}

/** `rpcUrl`: a site-added chain's RPC, which the watch probes (site-added chains are per origin). */
export async function markDown(chainId: number, rpcUrl?: string) {
  const down = await downChains()
  if (down[chainId] === undefined) {
    await stored.chainsDown.set({ ...down, [chainId]: { since: Date.now(), rpcUrl } })
    await emitToChain(chainId, 'disconnect', serializeError(chainDisconnected(chainId, rpcUrl)))
  }
  void watchDownChains()
}

export async function markUp(chainId: number) {
  const down = await downChains()
  if (down[chainId] === undefined) return
  delete down[chainId]
  await stored.chainsDown.set(down)
  await emitToChain(chainId, 'connect', { chainId: numberToHex(chainId) })
}

/** Whether the chain's RPC (a site-added chain's `rpcUrl`) answers eth_chainId with its id right now. */
export async function probe(chainId: number, rpcUrl?: string): Promise<boolean> {
  try {
    let answer: unknown
    if (chainId === (await l1ChainId())) {
      answer = await (await l1Client()).request({ method: 'eth_chainId' }, { retryCount: 0 })
    } else if (rpcUrl) {
      const client = createPublicClient({ transport: http(rpcUrl, { timeout: PROBE_TIMEOUT_MS, retryCount: 0 }) })
      answer = await client.request({ method: 'eth_chainId' })
    } else answer = numberToHex(await rollupService.chainId())
    return Number(answer) === chainId
  } catch {
    return false
  }
}

/** Runs a chain request; an unreachable RPC becomes 4901 (and `disconnect`), an answer after one `connect`. */
export async function viaChain<T>(chain: SelectedChain, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run()
    if (await isDown(chain.id)) await markUp(chain.id)
    return result
  } catch (error) {
    if (!isUnreachable(error)) throw error
    await markDown(chain.id, chain.rpcUrl)
    throw chainDisconnected(chain.id, chain.rpcUrl)
  }
}

/** After a site switches chain: tell it at once whether the new chain is reachable. */
export async function announceReachability(origin: string, chain: SelectedChain) {
  if (await probe(chain.id, chain.rpcUrl)) {
    await markUp(chain.id)
    await emitToOrigin(origin, 'connect', { chainId: numberToHex(chain.id) })
  } else {
    const wasDown = await isDown(chain.id)
    await markDown(chain.id, chain.rpcUrl)
    if (wasDown) await emitToOrigin(origin, 'disconnect', serializeError(chainDisconnected(chain.id, chain.rpcUrl)))
  }
}

let watching = false
/** Probes down chains until they answer (one loop per worker instance). */
export async function watchDownChains() {
  if (watching) return
  watching = true
  try {
    for (;;) {
      const down = Object.entries(await downChains())
      if (!down.length) return
      for (const [id, { rpcUrl }] of down) if (await probe(Number(id), rpcUrl)) await markUp(Number(id))
      await new Promise((r) => setTimeout(r, PROBE_EVERY_MS))
    }
  } finally {
    watching = false
  }
}
