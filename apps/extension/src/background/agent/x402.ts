/**
 * `x402.fetch`: the wallet pays an HTTP 402 itself (decision 0602). The 402's `accepts` are matched
 * against what the wallet can pay — Seed USD on L1 from the smart account (ERC-1271 / 6492, decision
 * 0501), or on a rollup (the agent's own, or the stack's) from the rollup account (0503/0506) — the
 * rollup first (final in milliseconds, no L1 gas). The EIP-3009 authorisation is an
 * `eth_signTypedData_v4` through the action pipeline (policy with the spend reserved, the caller's
 * grant, approval, Activity), then the request is sent again with the payment header. The x402 wire
 * format is @x402/core's and @x402/evm's, the same client stack @seed/x402 pays with in Node.
 */

import type { ChainName, FetchInit, FetchResult } from '@seed/agent/api'
import { caip2, chainIdOf } from '@seed/x402'
import { x402Client, x402HTTPClient } from '@x402/core/client'
import type { PaymentRequirements } from '@x402/core/types'
import type { ClientEvmSigner } from '@x402/evm'
import { ExactEvmScheme } from '@x402/evm/exact/client'
import type { Address, Hex } from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { ErrorCode, invalidParams, ProviderRpcError } from '../../core/errors.ts'
import { accountService } from '../account/account.ts'
import { recordActivity } from '../actions/activity.ts'
import type { StageMark } from '../actions/execute.ts'
import { actFor } from './act.ts'
import type { ResolvedCaller } from './caller.ts'
import { PAYMENT_STAGES, type PaymentStage } from './payment-stages.ts'

/** A body larger than this is cut (the API carries text over JSON hops). */
const MAX_BODY = 1_000_000
const FETCH_TIMEOUT_MS = 30_000

/** The networks the wallet pays on, and with which of its accounts. */
async function payableNetworks(): Promise<Map<string, ChainName>> {
  const config = await getDevnetConfig()
  const info = await accountService.info()
  const networks = new Map<string, ChainName>([[caip2(config.l1.chainId), 'l1']])
  if (info) networks.set(caip2(info.rollup.chainId), 'rollup')
  if (config.stackRollup) networks.set(caip2(config.stackRollup.chainId), 'rollup')
  return networks
}

/**
 * Marks one payment's stages on the worker's performance timeline (DevTools' Performance panel, the agent
 * bench's breakdown). The previous payment's marks are cleared first, so they never pile up; payments made
 * at the same moment share the names, which only blurs what the timeline shows.
 */
function paymentMarks(): (stage: PaymentStage) => void {
  for (const stage of PAYMENT_STAGES) performance.clearMarks(`x402:${stage}`)
  const mark = (stage: PaymentStage) => {
    performance.mark(`x402:${stage}`)
  }
  mark('start')
  return mark
}

/** A signer for one chain whose every signature is a pipeline request on behalf of `caller`. */
function pipelineSigner(caller: ResolvedCaller, chain: ChainName, address: Address, mark: StageMark): ClientEvmSigner {
  return {
    address,
    async signTypedData(typedData) {
      const json = JSON.stringify(typedData, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
      // Activity gets one entry per payment, with its settlement (x402Fetch), not one for the bare signature.
      return (await actFor(caller, 'eth_signTypedData_v4', [address, json], chain, { logged: true, mark })) as Hex
    },
  }
}

function checkUrl(url: string) {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw invalidParams(`x402.fetch: not a URL: ${url}`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalidParams('x402.fetch: http(s) URLs only')
  return parsed
}

/** At most MAX_BODY bytes of a body, however much the server sends (the rest is not read). */
async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader()
  if (!reader) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  while (size < MAX_BODY) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.length
  }
  await reader.cancel().catch(() => {})
  const bytes = new Uint8Array(Math.min(size, MAX_BODY))
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk.subarray(0, bytes.length - offset), offset)
    offset += Math.min(chunk.length, bytes.length - offset)
  }
  return new TextDecoder().decode(bytes)
}

async function toResult(response: Response, payment?: FetchResult['payment']): Promise<FetchResult> {
  const body = await readCapped(response)
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body,
    ...(payment ? { payment } : {}),
  }
}

/** The payment's one Activity entry (its signature has none of its own, see `pipelineSigner`). */
function recordPayment(
  caller: ResolvedCaller,
  network: string,
  summary: string,
  status: 'success' | 'failed',
  hash?: Hex,
) {
  return recordActivity({
    kind: 'signature',
    origin: caller.origin,
    chainId: chainIdOf(network),
    summary,
    ...(hash ? { hash } : {}),
    status,
  })
}

export async function x402Fetch(caller: ResolvedCaller, url: string, init: FetchInit = {}): Promise<FetchResult> {
  const target = checkUrl(url)
  const request = () =>
    new Request(target, {
      method: init.method ?? 'GET',
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    })
  const mark = paymentMarks()
  const first = await fetch(request())
  if (first.status !== 402) return toResult(first)
  mark('402')

  const info = await accountService.info()
  if (!info) throw new ProviderRpcError(ErrorCode.unauthorized, 'No account yet: create one in the Seed popup.')
  const networks = await payableNetworks()
  const usd = (await getDevnetConfig()).contracts.usd.toLowerCase()
  // Only Seed USD is priced by the policy; a payment in anything else is not offered to the signer.
  const payable = (r: PaymentRequirements) =>
    r.scheme === 'exact' && networks.has(r.network) && r.asset.toLowerCase() === usd
  const client = new x402Client((_version, accepts) => {
    const options = accepts.filter(payable)
    const choice = options.find((r) => networks.get(r.network) === 'rollup') ?? options[0]
    if (!choice) throw new Error('none of the accepted networks is one this wallet pays on')
    return choice
  })
  for (const [network, chain] of networks) {
    const address = chain === 'l1' ? info.smartAccount : info.rollupAccount
    client.register(network as `${string}:${string}`, new ExactEvmScheme(pipelineSigner(caller, chain, address, mark)))
  }
  // The wallet's pipeline is the spend control (it knows Seed USD and the caller's grant).
  client.setSpendControls(false)
  const http = new x402HTTPClient(client)
  const body = await readCapped(first).catch(() => '')
  let challenge: ReturnType<typeof http.getPaymentRequiredResponse>
  try {
    challenge = http.getPaymentRequiredResponse((name) => first.headers.get(name), body ? JSON.parse(body) : undefined)
  } catch (error) {
    throw new ProviderRpcError(
      ErrorCode.invalidParams,
      `x402.fetch: the 402 is not an x402 payment request: ${(error as Error).message}`,
    )
  }
  const accepted = challenge.accepts.filter(payable)
  if (!accepted.length) {
    const offered = challenge.accepts.map((r) => `${r.asset} on ${r.network}`).join(', ')
    throw new ProviderRpcError(
      4200,
      `x402.fetch: the wallet pays Seed USD on ${[...networks.keys()].join(', ')}; the seller accepts ${offered}`,
    )
  }
  mark('parsed')
  const payload = await http.createPaymentPayload(challenge)
  const requirements = payload.accepted
  const paidFor = `x402: paid ${Number(requirements.amount) / 1e6} USDS to ${requirements.payTo} for ${target.host}${target.pathname} on ${requirements.network}`
  const paid = request()
  for (const [name, value] of Object.entries(http.encodePaymentSignatureHeader(payload))) paid.headers.set(name, value)
  mark('payload')
  const response = await fetch(paid).catch(async (error: Error) => {
    // Signed but unanswered: the authorization may still be settled, so Activity says so.
    await recordPayment(caller, requirements.network, `${paidFor} (no answer: ${error.message})`, 'failed')
    throw error
  })
  mark('answered')
  const receipt = response.headers.get('PAYMENT-RESPONSE')
    ? http.getPaymentSettleResponse((n) => response.headers.get(n))
    : undefined
  const recorded = recordPayment(
    caller,
    requirements.network,
    `${paidFor}${receipt?.success ? '' : ` (refused: ${receipt?.errorReason ?? `HTTP ${response.status}`})`}`,
    receipt?.success ? 'success' : 'failed',
    receipt?.transaction as Hex | undefined,
  )
  const [result] = await Promise.all([
    toResult(response, {
      network: requirements.network,
      amount: requirements.amount,
      asset: requirements.asset,
      payTo: requirements.payTo,
      ...(receipt?.transaction ? { transaction: receipt.transaction } : {}),
      ...(receipt?.payer ? { payer: receipt.payer } : {}),
    }),
    recorded,
  ])
  mark('done')
  return result
}
