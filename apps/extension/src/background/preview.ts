/**
 * What the approval screen shows: calls decoded with the ABIs the wallet knows, the message as
 * text, and the asset changes an eth_simulateV1 run of the calls (from the smart account) predicts.
 */
import {
  type Address,
  decodeFunctionData,
  erc20Abi,
  formatEther,
  formatUnits,
  type Hex,
  hexToBigInt,
  hexToString,
  isHex,
} from 'viem'
import { getDevnetConfig } from '../core/config.ts'
import type { ApprovalView, AssetChange, DecodedCall, PendingRequest } from '../core/protocol.ts'
import { accountService } from './account.ts'
import { kindOf } from './chains.ts'
import { l1Client } from './clients.ts'

type CallParam = { to: Address; value?: Hex; data?: Hex }

async function decodeCall(call: CallParam): Promise<DecodedCall> {
  const base: DecodedCall = {
    to: call.to,
    value: formatEther(call.value ? hexToBigInt(call.value) : 0n),
    data: call.data ?? '0x',
  }
  if (!call.data || call.data === '0x') return base
  const config = await getDevnetConfig()
  try {
    const decoded = decodeFunctionData({ abi: erc20Abi, data: call.data })
    const known = call.to.toLowerCase() === config.contracts.testToken.toLowerCase()
    return {
      ...base,
      contract: known ? 'Test token (TST)' : 'ERC-20',
      functionName: decoded.functionName,
      args: (decoded.args ?? []).map(String),
    }
  } catch {
    return base
  }
}

function callsOf(request: PendingRequest): CallParam[] {
  const params = request.params as unknown[]
  if (request.method === 'eth_sendTransaction') return [params[0] as CallParam]
  if (request.method === 'wallet_sendCalls') return ((params[0] as { calls?: CallParam[] })?.calls ?? []) as CallParam[]
  return []
}

async function simulate(account: Address, calls: CallParam[]): Promise<AssetChange[]> {
  const client = await l1Client()
  const { assetChanges } = await client.simulateCalls({
    account,
    calls: calls.map((c) => ({ to: c.to, value: c.value ? hexToBigInt(c.value) : 0n, data: c.data })),
    traceAssetChanges: true,
  })
  return assetChanges
    .filter((c) => c.value.diff !== 0n)
    .map((c) => ({
      symbol: c.token.symbol ?? '?',
      token: c.token.address,
      diff: formatUnits(c.value.diff, c.token.decimals ?? 18),
    }))
}

export async function approvalView(request: PendingRequest): Promise<ApprovalView> {
  const info = await accountService.info()
  const kind = await kindOf(request.chainId)
  const view: ApprovalView = { ...request, account: kind === 'l2' ? info?.owner : info?.smartAccount }
  const calls = callsOf(request)
  if (calls.length) {
    view.calls = await Promise.all(calls.map(decodeCall))
    if (kind === 'l1' && info) {
      try {
        view.assetChanges = await simulate(info.smartAccount, calls)
      } catch (error) {
        view.simulationError = (error as { shortMessage?: string }).shortMessage ?? String(error)
      }
    }
  }
  if (request.method === 'personal_sign') {
    const raw = (request.params as unknown[])[0]
    view.message = isHex(raw) ? safeText(raw) : String(raw)
  }
  if (request.method === 'eth_signTypedData_v4') view.message = String((request.params as unknown[])[1])
  return view
}

function safeText(hex: Hex) {
  const text = hexToString(hex)
  return /^[\p{L}\p{N}\p{P}\p{S}\p{Zs}\n\r\t]*$/u.test(text) ? text : hex
}
