/** The background's EIP-1193 router: permission checks, approvals, chain routing, read proxying. */
import { type Address, createPublicClient, type Hex, http, numberToHex } from 'viem'
import { invalidParams, ProviderRpcError, unauthorized, unsupportedMethod } from '../core/errors.ts'
import { accountService } from './account.ts'
import { getRequest, requestApproval } from './approvals.ts'
import { callsStatus } from './calls-status.ts'
import { addCustomChain, chainOf, kindOf, selectChain } from './chains.ts'
import { l1Client } from './clients.ts'
import { announceReachability, chainDisconnected, isDown, viaChain } from './connectivity.ts'
import { emitToOrigin } from './events.ts'
import { execute, recordRefusal } from './execute.ts'
import { sendRawL2Transaction } from './l2-resend.ts'
import { getPermissions, hasAccountsPermission, revokeAccounts } from './permissions.ts'
import { PolicyDeniedError } from './policy.ts'
import { reserveRequest } from './request-action.ts'
import { rollupService } from './rollup.ts'

/** Read-only methods forwarded to the selected chain unchanged. */
const READ_METHODS = new Set([
  'eth_blockNumber',
  'eth_call',
  'eth_estimateGas',
  'eth_feeHistory',
  'eth_gasPrice',
  'eth_getBalance',
  'eth_getBlockByHash',
  'eth_getBlockByNumber',
  'eth_getCode',
  'eth_getLogs',
  'eth_getStorageAt',
  'eth_getTransactionByHash',
  'eth_getTransactionCount',
  'eth_getTransactionReceipt',
  'eth_maxPriorityFeePerGas',
  // Already-signed transactions (e.g. a faucet funding the rollup account) pass through.
  'eth_sendRawTransaction',
  'net_version',
])

/** Methods that act for the account: they need the origin's permission and the user's approval. */
const APPROVAL_METHODS = new Set(['eth_sendTransaction', 'wallet_sendCalls', 'personal_sign', 'eth_signTypedData_v4'])

/** The account a chain sees: the smart account on L1, its owner EOA on the rollup (decision 0401). */
export async function accountsFor(origin: string): Promise<Address[]> {
  if (!(await hasAccountsPermission(origin)) || !(await accountService.isUnlocked())) return []
  const info = await accountService.info()
  if (!info) return []
  return [(await chainOf(origin)).kind === 'l2' ? info.owner : info.smartAccount]
}

async function forward(origin: string, method: string, params: readonly unknown[]) {
  const chain = await chainOf(origin)
  return viaChain(chain, async () => {
    if (chain.kind === 'l2') {
      if (method === 'eth_sendRawTransaction' && typeof params[0] === 'string') {
        return sendRawL2Transaction((m, p = []) => rollupService.request(m, p), params[0] as Hex)
      }
      return rollupService.request(method, params)
    }
    if (chain.kind === 'custom') {
      const client = createPublicClient({ transport: http(chain.rpcUrl, { timeout: 5_000, retryCount: 0 }) })
      return client.request({ method, params } as never)
    }
    return (await l1Client()).request({ method, params } as never)
  })
}

/** wallet_addEthereumChain for a chain Seed does not run: kept as a read-only chain for this wallet. */
async function addChain(params: readonly unknown[], chainId: number) {
  const p = params[0] as { chainName?: unknown; rpcUrls?: unknown }
  const rpcUrl = Array.isArray(p.rpcUrls) ? p.rpcUrls[0] : undefined
  if (typeof rpcUrl !== 'string' || !/^https?:\/\//.test(rpcUrl))
    throw invalidParams('Expected rpcUrls: ["http(s)://…"]')
  const name = typeof p.chainName === 'string' ? p.chainName.slice(0, 64) : `Chain ${chainId}`
  await addCustomChain({ chainId, name, rpcUrl })
}

function chainIdParam(params: readonly unknown[]): number {
  const chainId = (params[0] as { chainId?: unknown } | undefined)?.chainId
  if (typeof chainId !== 'string' || !/^0x[0-9a-fA-F]+$/.test(chainId))
    throw invalidParams('Expected [{ chainId: "0x…" }]')
  return Number(chainId)
}

async function switchChain(origin: string, chainId: number) {
  const kind = await kindOf(chainId)
  if (!kind)
    throw new ProviderRpcError(4902, `Unrecognized chain ${numberToHex(chainId)}: Seed offers its devnet and rollup.`)
  const before = await chainOf(origin)
  if (before.id === chainId) return null
  await selectChain(origin, chainId)
  await emitToOrigin(origin, 'chainChanged', numberToHex(chainId))
  const accounts = await accountsFor(origin)
  if (accounts.length) await emitToOrigin(origin, 'accountsChanged', accounts)
  await announceReachability(origin, await chainOf(origin))
  return null
}

export async function handleRpc(origin: string, id: string, method: string, rawParams: unknown): Promise<unknown> {
  if (rawParams !== undefined && !Array.isArray(rawParams) && typeof rawParams !== 'object') {
    throw invalidParams('params must be an array or an object')
  }
  const params = (Array.isArray(rawParams) ? rawParams : rawParams === undefined ? [] : [rawParams]) as unknown[]
  switch (method) {
    case 'eth_chainId':
      return numberToHex((await chainOf(origin)).id)
    case 'eth_accounts':
      return accountsFor(origin)
    case 'eth_requestAccounts': {
      const accounts = await accountsFor(origin)
      if (accounts.length) return accounts
      await requestApproval({ id, origin, method, params, chainId: (await chainOf(origin)).id }, execute)
      return accountsFor(origin)
    }
    case 'wallet_requestPermissions': {
      const wanted = params[0] as Record<string, unknown> | undefined
      if (!wanted || typeof wanted !== 'object' || !('eth_accounts' in wanted)) {
        throw invalidParams('Only the eth_accounts permission can be requested')
      }
      return requestApproval({ id, origin, method, params, chainId: (await chainOf(origin)).id }, execute)
    }
    case 'wallet_getPermissions':
      return getPermissions(origin)
    case 'wallet_revokePermissions':
      await revokeAccounts(origin)
      await emitToOrigin(origin, 'accountsChanged', [])
      return null
    case 'wallet_switchEthereumChain':
      return switchChain(origin, chainIdParam(params))
    case 'wallet_addEthereumChain': {
      const chainId = chainIdParam(params)
      if (!(await kindOf(chainId))) await addChain(params, chainId)
      return switchChain(origin, chainId)
    }
    case 'wallet_getCapabilities': {
      if (!(await hasAccountsPermission(origin))) throw unauthorized()
      const chain = await chainOf(origin)
      const l1 = chain.kind === 'l1' ? chain.id : undefined
      return l1 ? { [numberToHex(l1)]: { atomic: { status: 'supported' } } } : {}
    }
    case 'wallet_getCallsStatus':
      return callsStatus(String(params[0]))
  }
  if (APPROVAL_METHODS.has(method)) {
    if (!(await hasAccountsPermission(origin))) throw unauthorized()
    if (!(await accountService.info())) throw unauthorized('No account yet: open the Seed extension to create one.')
    const chain = await chainOf(origin)
    if (chain.kind === 'custom') {
      throw new ProviderRpcError(4200, `Seed signs and sends on its devnet and rollup only, not on ${chain.id}.`)
    }
    validateSigner(method, params, await accountsFor(origin))
    await refuseNewRequest({ id, origin, method, params, chainId: chain.id }, chain.kind)
    return requestApproval({ id, origin, method, params, chainId: chain.id }, execute)
  }
  if (READ_METHODS.has(method)) return forward(origin, method, params)
  throw unsupportedMethod(method)
}

/**
 * Refuses a new request before any window opens: 4901 when its chain is unreachable, 4100 (with
 * the engine's reasons) when the policy denies it; otherwise reserves its spend. An agent gets its
 * answer at once and the user is not asked to approve what cannot run. A re-sent request with a
 * record (worker restart) is past this.
 */
async function refuseNewRequest(request: Parameters<typeof requestApproval>[0], kind: 'l1' | 'l2') {
  if (await getRequest(request.id)) return
  // Nothing can be sent or verified on a chain the wallet cannot reach (it is probed every second).
  if (await isDown(request.chainId)) throw chainDisconnected(request.chainId)
  const info = (await accountService.info())!
  // The spend is reserved now, under the policy lock: two requests cannot both fit one budget.
  try {
    await reserveRequest(request, kind === 'l2' ? info.owner : info.smartAccount, kind)
  } catch (error) {
    if (error instanceof PolicyDeniedError) await recordRefusal(request, error)
    throw error
  }
}

/** The request must name the account the wallet shows that origin (when it is unlocked). */
function validateSigner(method: string, params: unknown[], accounts: Address[]) {
  const named: unknown =
    method === 'personal_sign'
      ? params[1]
      : method === 'eth_signTypedData_v4'
        ? params[0]
        : (params[0] as { from?: unknown } | undefined)?.from
  if (named === undefined && method !== 'personal_sign') return
  if (typeof named !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(named)) throw invalidParams(`${method}: missing address`)
  if (accounts.length && !accounts.some((a) => a.toLowerCase() === named.toLowerCase())) {
    throw unauthorized(`${method}: ${named as Hex} is not this site's account`)
  }
}
