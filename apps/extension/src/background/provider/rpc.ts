/**
 * The background's EIP-1193 router: permission checks, approvals, chain routing, read proxying.
 * An origin the user has not connected gets its chain id, `eth_accounts` → [], its own (empty)
 * permissions and the connect request; every other method answers 4100, so such a page learns
 * nothing about the account, the rollup or L1 and cannot use the wallet's RPCs.
 */
import { type Address, createPublicClient, type Hex, http, numberToHex } from 'viem'
import { invalidParams, ProviderRpcError, unauthorized, unsupportedMethod } from '../../core/errors.ts'
import type { ChainDescription } from '../../core/storage.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import { recordRefusal } from '../actions/activity.ts'
import { PolicyDeniedError } from '../actions/policy.ts'
import { reserveRequest } from '../actions/request-action.ts'
import { executeRequest } from '../actions/requests.ts'
import { getRequest, requestApproval, runPreApproved } from '../approvals/approvals.ts'
import { grantForUse, permissionsCapability } from '../grants/grants.ts'
import { readRollup } from '../rollup/replicas.ts'
import { rollupService } from '../rollup/rollup.ts'
import { REPLICA_READS } from '../rollup/route-read.ts'
import { accountsFor, disconnectOrigin } from './accounts.ts'
import { callsStatus, claimBundle } from './calls-status.ts'
import { addedChainOf } from './chain-approval.ts'
import { chainOf, describeChain, isChainGranted, selectChain } from './chains.ts'
import { announceReachability, chainDisconnected, isDown, viaChain } from './connectivity.ts'
import { emitToOrigin } from './events.ts'
import { GRANT_RPC_METHODS, handleGrantRpc, permissionsCapabilityInfo } from './grants.ts'
import { sendRawL2Transaction } from './l2-resend.ts'
import { getPermissions, hasAccountsPermission } from './permissions.ts'

/**
 * Forwarded to the selected chain unchanged: the chain's read methods (the same a replica may answer), and
 * already-signed transactions (e.g. a faucet funding the rollup account).
 */
const READ_METHODS = new Set([...REPLICA_READS, 'eth_sendRawTransaction'])

/** Methods that act for the account: they need the origin's permission and the user's approval. */
const APPROVAL_METHODS = new Set(['eth_sendTransaction', 'wallet_sendCalls', 'personal_sign', 'eth_signTypedData_v4'])

async function forward(origin: string, method: string, params: readonly unknown[]) {
  const chain = await chainOf(origin)
  return viaChain(chain, async () => {
    if (chain.kind === 'l2') {
      if (method === 'eth_sendRawTransaction' && typeof params[0] === 'string') {
        return sendRawL2Transaction((m, p = []) => rollupService.request(m, p), origin, params[0] as Hex)
      }
      return readRollup(method, params)
    }
    if (chain.kind === 'custom') {
      const client = createPublicClient({ transport: http(chain.rpcUrl, { timeout: 5_000, retryCount: 0 }) })
      return client.request({ method, params } as never)
    }
    return (await l1Client()).request({ method, params } as never)
  })
}

function chainIdParam(params: readonly unknown[]): number {
  const chainId = (params[0] as { chainId?: unknown } | undefined)?.chainId
  if (typeof chainId !== 'string' || !/^0x[0-9a-fA-F]+$/.test(chainId))
    throw invalidParams('Expected [{ chainId: "0x…" }]')
  return Number(chainId)
}

/**
 * Moves the origin to `chain`: at once for L1 and chains the user already approved for this
 * origin, after the approval window otherwise (MetaMask asks too).
 */
async function switchChain(origin: string, id: string, method: string, chain: ChainDescription) {
  const before = await chainOf(origin)
  if (before.id === chain.chainId) return null
  if (!(await isChainGranted(origin, chain.chainId))) {
    await requestApproval({ id, origin, method, params: [chain], chainId: before.id }, executeRequest)
  }
  await selectChain(origin, chain.chainId)
  await emitToOrigin(origin, 'chainChanged', numberToHex(chain.chainId))
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
    case 'net_version':
      return String((await chainOf(origin)).id)
    case 'eth_accounts':
      return accountsFor(origin)
    case 'eth_requestAccounts': {
      const accounts = await accountsFor(origin)
      if (accounts.length) return accounts
      await requestApproval({ id, origin, method, params, chainId: (await chainOf(origin)).id }, executeRequest)
      return accountsFor(origin)
    }
    case 'wallet_requestPermissions': {
      const wanted = params[0] as Record<string, unknown> | undefined
      if (!wanted || typeof wanted !== 'object' || !('eth_accounts' in wanted)) {
        throw invalidParams('Only the eth_accounts permission can be requested')
      }
      return requestApproval({ id, origin, method, params, chainId: (await chainOf(origin)).id }, executeRequest)
    }
    case 'wallet_getPermissions':
      return getPermissions(origin)
    case 'wallet_revokePermissions':
      await disconnectOrigin(origin)
      return null
  }
  if (!(await hasAccountsPermission(origin))) throw unauthorized()
  switch (method) {
    case 'wallet_switchEthereumChain': {
      const chainId = chainIdParam(params)
      const chain = await describeChain(origin, chainId)
      if (!chain) throw new ProviderRpcError(4902, `Unrecognized chain ${numberToHex(chainId)}: add it first.`)
      return switchChain(origin, id, method, chain)
    }
    case 'wallet_addEthereumChain': {
      const chainId = chainIdParam(params)
      const chain = (await describeChain(origin, chainId)) ?? addedChainOf(params, chainId)
      return switchChain(origin, id, method, chain)
    }
    case 'wallet_getCapabilities': {
      const chain = await chainOf(origin)
      const l1 = chain.kind === 'l1' ? chain.id : undefined
      return l1
        ? { [numberToHex(l1)]: { atomic: { status: 'supported' }, permissions: permissionsCapabilityInfo() } }
        : {}
    }
    case 'wallet_getCallsStatus':
      return callsStatus(origin, String(params[0]))
  }
  if (GRANT_RPC_METHODS.has(method)) return handleGrantRpc(origin, id, method, params)
  if (APPROVAL_METHODS.has(method)) {
    if (!(await accountService.info())) throw unauthorized('No account yet: open the Seed extension to create one.')
    const chain = await chainOf(origin)
    if (chain.kind === 'custom') {
      throw new ProviderRpcError(4200, `Seed signs and sends on its devnet and rollup only, not on ${chain.id}.`)
    }
    validateSigner(method, params, await accountsFor(origin))
    // Calls under an ERC-7715 grant were approved with the grant: checked here, run without a window.
    const permissions = method === 'wallet_sendCalls' ? permissionsCapability(params[0]) : undefined
    if (permissions) {
      if (chain.kind !== 'l1') throw invalidParams('Grants act on L1 only: switch the site back to L1')
      if (!(await getRequest(id))) await grantForUse(origin, permissions.context, Math.floor(Date.now() / 1000))
    }
    await refuseNewRequest({ id, origin, method, params, chainId: chain.id }, chain.kind)
    const run = permissions ? runPreApproved : requestApproval
    const result = await run({ id, origin, method, params, chainId: chain.id }, executeRequest)
    // Only the origin that was given a bundle id may ask for its status.
    if (method === 'wallet_sendCalls') await claimBundle((result as { id: string }).id, origin)
    return result
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
    await reserveRequest(request, kind === 'l2' ? info.rollupAccount : info.smartAccount, kind)
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
