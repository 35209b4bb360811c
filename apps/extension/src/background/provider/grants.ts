/**
 * The page-facing ERC-7715 methods (decisions 0207, 0208): request a grant (both method names),
 * list and revoke the site's own grants, what the wallet supports. The caller (rpc.ts) has already
 * checked that the origin is connected; a grant is always approved in the wallet's window first.
 */
import { type Address, erc20Abi, getAddress, isAddressEqual, numberToHex } from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { getDevnetConfig } from '../../core/config.ts'
import { invalidParams, unauthorized } from '../../core/errors.ts'
import type { GrantPermission, GrantRecord } from '../../core/records.ts'
import { sealKey } from '../../rollup/sealed-key.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import { executeRequest } from '../actions/requests.ts'
import { requestApproval } from '../approvals/approvals.ts'
import {
  type GrantMethod,
  PERMISSION_TYPES,
  parseGrantRequest,
  RULE_TYPES,
  revokeContextOf,
} from '../grants/grant-request.ts'
import { listGrants } from '../grants/grants.ts'
import type { PreparedGrantRequest } from '../grants/install-grant.ts'
import { revokeGrant } from '../grants/revoke-grant.ts'
import { DEFAULT_GRANT_GAS_BUDGET } from '../grants/session-scope.ts'
import { chainOf } from './chains.ts'

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** wallet_getSupportedExecutionPermissions: every type on the L1 devnet, with the expiry rule. */
export async function supportedExecutionPermissions() {
  const chainIds = [numberToHex((await getDevnetConfig()).l1.chainId)]
  return Object.fromEntries(PERMISSION_TYPES.map((type) => [type, { chainIds, ruleTypes: [...RULE_TYPES] }]))
}

/** The EIP-5792 `permissions` capability (ERC-7715 §Capabilities) for the L1 chain. */
export const permissionsCapabilityInfo = () => ({
  supported: true,
  signerTypes: ['wallet'],
  permissionTypes: [...PERMISSION_TYPES],
  ruleTypes: [...RULE_TYPES],
  policyTypes: ['gas-limit'],
})

/** The token as the approval names it: its symbol and decimals, read from the chain (or its address). */
async function tokenOf(token: Address) {
  const client = await l1Client()
  const read = <T>(functionName: 'symbol' | 'decimals') =>
    client.readContract({ address: token, abi: erc20Abi, functionName }) as Promise<T>
  const [symbol, decimals] = await Promise.all([read<string>('symbol'), read<number>('decimals')]).catch(() => {
    throw invalidParams(`${token} is not an ERC-20 token on this chain`)
  })
  return { symbol: String(symbol).slice(0, 16), decimals: Number(decimals) }
}

/** Parses, names the tokens and makes one sealed session key per grant: what the window shows and installs. */
async function prepareGrants(origin: string, method: GrantMethod, params: unknown[]): Promise<PreparedGrantRequest> {
  const info = await accountService.info()
  if (!info) throw unauthorized('No account yet: open the Seed extension to create one.')
  const parsed = parseGrantRequest(method, params, nowSeconds())
  const chain = await chainOf(origin)
  const l1 = (await getDevnetConfig()).l1.chainId
  const chainId = parsed.chainId ?? chain.id
  if (chainId !== l1) {
    throw invalidParams(`Seed grants execution permissions on its L1 (chain ${numberToHex(l1)}) only.`)
  }
  if (parsed.address && !isAddressEqual(parsed.address, info.smartAccount)) {
    throw unauthorized(`${parsed.address} is not this site's account`)
  }
  const grants = []
  for (const grant of parsed.grants) {
    const permissions: GrantPermission[] = []
    for (const p of grant.permissions) {
      permissions.push('tokenAddress' in p ? { ...p, ...(await tokenOf(p.tokenAddress)) } : p)
    }
    const key = generatePrivateKey()
    grants.push({
      ...grant,
      permissions,
      gasBudget: grant.gasBudget ?? DEFAULT_GRANT_GAS_BUDGET.toString(),
      sessionKey: privateKeyToAddress(key),
      sealedKey: await sealKey(key),
    })
  }
  return { ...parsed, account: getAddress(info.smartAccount), chainId, grants }
}

/** The site's live grants in the draft's response shape (MetaMask's wallet_getGrantedExecutionPermissions). */
async function grantedPermissions(origin: string) {
  const now = nowSeconds()
  const live = (await listGrants(origin)).filter((g) => g.status === 'active' && g.expiry > now)
  return live.map((g: GrantRecord) => ({
    chainId: numberToHex(g.chainId),
    address: g.account,
    signer: { type: 'wallet', data: {} },
    permission: { type: g.permissions[0]!.type, isAdjustmentAllowed: false, data: g.permissions[0] },
    rules: [{ type: 'expiry', isAdjustmentAllowed: false, data: { timestamp: g.expiry } }],
    context: g.context,
    dependencyInfo: [],
  }))
}

export const GRANT_RPC_METHODS = new Set([
  'wallet_requestExecutionPermissions',
  'wallet_grantPermissions',
  'wallet_revokeExecutionPermission',
  'wallet_getSupportedExecutionPermissions',
  'wallet_getGrantedExecutionPermissions',
])

/** Answers one of GRANT_RPC_METHODS for a connected origin. */
export async function handleGrantRpc(origin: string, id: string, method: string, params: unknown[]): Promise<unknown> {
  switch (method) {
    case 'wallet_getSupportedExecutionPermissions':
      return supportedExecutionPermissions()
    case 'wallet_getGrantedExecutionPermissions':
      return grantedPermissions(origin)
    case 'wallet_revokeExecutionPermission':
      await revokeGrant(revokeContextOf(params), { origin })
      return {}
  }
  const prepared = await prepareGrants(origin, method as GrantMethod, params)
  return requestApproval({ id, origin, method, params: [prepared], chainId: prepared.chainId }, executeRequest)
}
