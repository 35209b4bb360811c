/**
 * What the approval screen shows: calls decoded with the ABIs the wallet knows, the message as
 * text, and the asset changes an eth_simulateV1 run of the calls (from the smart account) predicts.
 */
import { maxFeeOf } from '@seed/aa'
import {
  L1_STANDARD_BRIDGE,
  L1StandardBridgeAbi,
  L2_STANDARD_BRIDGE,
  L2_TO_L1_MESSAGE_PASSER,
  L2StandardBridgeAbi,
  L2ToL1MessagePasserAbi,
  SEED_PORTAL,
  SeedPortalAbi,
} from '@seed/contracts'
import {
  type Abi,
  type Address,
  decodeFunctionData,
  erc20Abi,
  formatEther,
  formatUnits,
  type Hex,
  hexToBigInt,
  hexToString,
  isAddressEqual,
  isHex,
  parseEventLogs,
  zeroAddress,
} from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import type { ApprovalView, AssetChange, DecodedCall, PendingRequest } from '../../core/protocol.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import { actions, reservationOf } from '../actions/policy.ts'
import { requestAction } from '../actions/request-action.ts'
import { kindOf } from '../provider/chains.ts'
import { parseTypedDataParam, summarizeTypedData } from './typed-data.ts'

type CallParam = { to: Address; value?: Hex; data?: Hex }

/** The bridge's contracts (decision 0700), the same on every L1 and every Seed rollup: deposits, proofs, withdrawals. */
const BRIDGE_CONTRACTS: [Address, string, Abi][] = [
  [SEED_PORTAL, 'Seed portal (bridge)', SeedPortalAbi],
  [L1_STANDARD_BRIDGE, 'L1 standard bridge', L1StandardBridgeAbi],
  [L2_TO_L1_MESSAGE_PASSER, 'Rollup withdrawals (message passer)', L2ToL1MessagePasserAbi],
  [L2_STANDARD_BRIDGE, 'Rollup token bridge', L2StandardBridgeAbi],
]

/** An argument as text: structs and proofs as JSON (bigints in decimal), long values shortened. */
function argText(value: unknown): string {
  const text =
    typeof value === 'object' && value !== null
      ? JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
      : String(value)
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

function decodeBridgeCall(call: CallParam, base: DecodedCall): DecodedCall | undefined {
  const known = BRIDGE_CONTRACTS.find(([address]) => isAddressEqual(address, call.to))
  if (!known || !call.data) return undefined
  const [, contract, abi] = known
  try {
    const decoded = decodeFunctionData({ abi, data: call.data })
    const inputs =
      (
        abi.find((item) => item.type === 'function' && item.name === decoded.functionName) as
          | { inputs: readonly { name?: string }[] }
          | undefined
      )?.inputs ?? []
    return {
      ...base,
      contract,
      functionName: decoded.functionName,
      args: (decoded.args ?? []).map((value, i) => ({ name: inputs[i]?.name || `arg ${i}`, value: argText(value) })),
    }
  } catch {
    return undefined
  }
}

async function decodeCall(call: CallParam): Promise<DecodedCall> {
  const base: DecodedCall = {
    to: call.to,
    value: formatEther(call.value ? hexToBigInt(call.value) : 0n),
    data: call.data ?? '0x',
  }
  if (!call.data || call.data === '0x') return base
  const bridge = decodeBridgeCall(call, base)
  if (bridge) return bridge
  const config = await getDevnetConfig()
  try {
    const decoded = decodeFunctionData({ abi: erc20Abi, data: call.data })
    const names: [Address | undefined, string][] = [
      [config.contracts.testToken, 'Test token (TST)'],
      [config.contracts.usd, 'Seed USD (USDS)'],
    ]
    const known = names.find(([address]) => address && isAddressEqual(address, call.to))
    return {
      ...base,
      contract: known?.[1] ?? 'ERC-20',
      functionName: decoded.functionName,
      args: (decoded.args ?? []).map((value, i) => ({
        name:
          erc20Abi.find((item) => item.type === 'function' && item.name === decoded.functionName)?.inputs[i]?.name ??
          `arg ${i}`,
        value: String(value),
      })),
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

/**
 * Runs the calls from the account with eth_simulateV1 and derives its balance changes: the ETH it
 * sends, and ERC-20 Transfer events to or from it. (viem's traceAssetChanges needs a contract
 * creation call, which anvil's eth_simulateV1 rejects.) A reverting call fails the preview.
 */
async function simulate(account: Address, calls: CallParam[]): Promise<AssetChange[]> {
  const client = await l1Client()
  const { results } = await client.simulateCalls({
    account,
    calls: calls.map((c) => ({ to: c.to, value: c.value ? hexToBigInt(c.value) : 0n, data: c.data })),
  })
  const failed = results.find((r) => r.status !== 'success')
  if (failed) throw new Error(`a call reverts: ${failed.error?.message ?? 'unknown reason'}`)
  const changes = new Map<Address, bigint>()
  const add = (token: Address, diff: bigint) => changes.set(token, (changes.get(token) ?? 0n) + diff)
  for (const call of calls) if (call.value) add(zeroAddress, -hexToBigInt(call.value))
  const logs = results.flatMap((r) => r.logs ?? [])
  for (const event of parseEventLogs({ abi: erc20Abi, logs, eventName: 'Transfer', strict: false })) {
    const { from, to, value } = event.args
    if (value === undefined) continue
    if (from && isAddressEqual(from, account)) add(event.address, -value)
    if (to && isAddressEqual(to, account)) add(event.address, value)
  }
  const config = await getDevnetConfig()
  const symbolOf = (token: Address) =>
    config.contracts.testToken && isAddressEqual(token, config.contracts.testToken)
      ? 'TST'
      : isAddressEqual(token, config.contracts.usd)
        ? 'USDS'
        : short(token)
  const decimalsOf = async (token: Address) =>
    token === zeroAddress
      ? 18
      : client.readContract({ address: token, abi: erc20Abi, functionName: 'decimals' }).catch(() => 18)
  const entries = [...changes.entries()].filter(([, diff]) => diff !== 0n)
  return Promise.all(
    entries.map(async ([token, diff]) => ({
      token,
      symbol: token === zeroAddress ? 'ETH' : symbolOf(token),
      diff: formatUnits(diff, await decimalsOf(token)),
    })),
  )
}

const short = (a: Address) => `${a.slice(0, 8)}…`
const POLICY_METHODS = new Set(['eth_sendTransaction', 'wallet_sendCalls', 'personal_sign', 'eth_signTypedData_v4'])

export async function approvalView(request: PendingRequest): Promise<ApprovalView> {
  const info = await accountService.info()
  const kind = await kindOf(request.chainId)
  const view: ApprovalView = { ...request, account: kind === 'l2' ? info?.rollupAccount : info?.smartAccount }
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
  if (request.method === 'eth_signTypedData_v4') {
    const config = await getDevnetConfig()
    const tokens: [Address | undefined, { symbol: string; decimals: number }][] = [
      [config.contracts.usd, { symbol: 'USDS', decimals: 6 }],
      [config.contracts.testToken, { symbol: 'TST', decimals: 18 }],
    ]
    view.typedData = summarizeTypedData(
      parseTypedDataParam((request.params as unknown[])[1]),
      (token) => tokens.find(([address]) => address && isAddressEqual(address, token))?.[1],
    )
  }
  if (view.account && POLICY_METHODS.has(request.method) && (kind === 'l1' || kind === 'l2')) {
    const action = await requestAction(request, view.account, kind)
    if (action.fee) view.maxFeeEth = formatEther(maxFeeOf(action))
    view.verdict = await actions.verdict(action, { reservation: reservationOf(request.id) })
  }
  return view
}

function safeText(hex: Hex) {
  const text = hexToString(hex)
  return /^[\p{L}\p{N}\p{P}\p{S}\p{Zs}\n\r\t]*$/u.test(text) ? text : hex
}
