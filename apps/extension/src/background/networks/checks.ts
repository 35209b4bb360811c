/**
 * The networks screen's connection check, one verdict per field: the L1 RPC answers the chain id
 * the network claims, the bundler serves EntryPoint v0.7 on that chain, the beacon API has a
 * genesis, the IPFS peer and the facilitator answer their health routes. Each check has its own
 * deadline, so one dead URL never holds up the others (or the screen).
 */
import { getAddress } from 'viem'
import { entryPoint07Address } from 'viem/account-abstraction'
import type { NetworkCheck, NetworkField, NetworkSettings } from '../../core/records.ts'

const CHECK_TIMEOUT_MS = 5_000

/** A field that failed its check; `code` says why in one word (the screen and tests match on it). */
export class NetworkCheckError extends Error {
  override name = 'NetworkCheckError'
  constructor(
    readonly code: 'unreachable' | 'chainMismatch' | 'noEntryPointV07' | 'badAnswer' | 'missing',
    readonly shortMessage: string,
  ) {
    super(shortMessage)
  }
}

async function fetchWithin(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) })
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError'
    throw new NetworkCheckError(
      'unreachable',
      timedOut ? `No answer from ${url} within ${CHECK_TIMEOUT_MS / 1000} s.` : `Cannot reach ${url}.`,
    )
  }
}

async function json(url: string, init?: RequestInit): Promise<unknown> {
  const response = await fetchWithin(url, init)
  if (!response.ok) throw new NetworkCheckError('badAnswer', `${url} answered HTTP ${response.status}.`)
  try {
    return await response.json()
  } catch {
    throw new NetworkCheckError('badAnswer', `${url} did not answer JSON.`)
  }
}

async function rpc(url: string, method: string): Promise<unknown> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] })
  const answer = (await json(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })) as {
    result?: unknown
    error?: { message?: string }
  }
  if (answer?.error || answer?.result === undefined) {
    throw new NetworkCheckError('badAnswer', `${method} failed: ${answer?.error?.message ?? 'no result'}.`)
  }
  return answer.result
}

async function chainIdAt(url: string, expected: number, what: string) {
  const answered = Number(await rpc(url, 'eth_chainId'))
  if (answered !== expected) {
    throw new NetworkCheckError('chainMismatch', `The ${what} is on chain ${answered}, not ${expected}.`)
  }
}

const required = (value: string, what: string) => {
  if (!value) throw new NetworkCheckError('missing', `No ${what} set.`)
  return value.replace(/\/+$/, '')
}

const checks: Record<NetworkField, (network: NetworkSettings) => Promise<string>> = {
  async l1(network) {
    await chainIdAt(required(network.l1.rpcUrl, 'L1 RPC'), network.l1.chainId, 'L1 RPC')
    return `chain ${network.l1.chainId}`
  },
  async bundler(network) {
    const url = required(network.bundlerUrl, 'bundler URL')
    await chainIdAt(url, network.l1.chainId, 'bundler')
    const entryPoints = await rpc(url, 'eth_supportedEntryPoints')
    const supported = Array.isArray(entryPoints) ? entryPoints.map((a) => getAddress(String(a))) : []
    if (!supported.includes(entryPoint07Address)) {
      throw new NetworkCheckError(
        'noEntryPointV07',
        `The bundler does not serve EntryPoint v0.7 (${entryPoint07Address}).`,
      )
    }
    return 'EntryPoint v0.7'
  },
  async beacon(network) {
    const url = required(network.beaconUrl, 'beacon API URL')
    const genesis = (await json(`${url}/eth/v1/beacon/genesis`)) as { data?: { genesis_time?: string } }
    const time = Number(genesis?.data?.genesis_time)
    if (!Number.isFinite(time)) throw new NetworkCheckError('badAnswer', 'The beacon API has no genesis time.')
    return `genesis ${new Date(time * 1000).toISOString().slice(0, 10)}`
  },
  async ipfs(network) {
    const url = required(network.ipfsUrl, 'IPFS peer URL')
    const health = (await json(`${url}/health`)) as { peerId?: string }
    return health?.peerId ? `peer ${health.peerId.slice(0, 12)}…` : 'reachable'
  },
  async facilitator(network) {
    const url = required(network.facilitatorUrl, 'facilitator URL')
    const supported = (await json(`${url}/supported`)) as { kinds?: unknown[] }
    return Array.isArray(supported?.kinds) ? `${supported.kinds.length} payment kinds` : 'reachable'
  },
}

export const NETWORK_FIELDS = Object.keys(checks) as NetworkField[]

/** Checks every field at once; a failure is a verdict with its reason, never a throw. */
export async function checkNetwork(network: NetworkSettings): Promise<NetworkCheck[]> {
  return Promise.all(
    NETWORK_FIELDS.map(async (field): Promise<NetworkCheck> => {
      try {
        return { field, ok: true, detail: await checks[field](network) }
      } catch (error) {
        const known = error instanceof NetworkCheckError
        return {
          field,
          ok: false,
          detail: known ? error.shortMessage : (error as Error).message,
          code: known ? error.code : 'badAnswer',
        }
      }
    }),
  )
}
