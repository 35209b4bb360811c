/**
 * Guardrails from @seed/aa's policy engine, applied to everything the wallet signs: sends, and
 * signatures (decision 0410): an EIP-2612 permit or EIP-3009 authorisation counts as the
 * approve/transfer it authorises, so the same caps and budgets apply; other messages and typed data
 * pass unless signing is switched off; the kill switch blocks all of it. dApp requests still need
 * the user's click; a `deny` verdict refuses them before any window opens, and again at execution.
 * Settings and bookkeeping persist in chrome.storage.local; amounts are decimal strings.
 */
import {
  type Action,
  evaluatePolicy,
  initialPolicyState,
  type Policy,
  type PolicyState,
  recordAction,
  typedDataSpend,
  type Verdict,
} from '@seed/aa'
import { type Address, type Hex, hexToBigInt, parseEther, parseUnits } from 'viem'
import { getDevnetConfig } from '../core/config.ts'
import { ProviderRpcError } from '../core/errors.ts'
import type { PendingRequest, PolicySettings } from '../core/protocol.ts'
import { parseTypedDataParam } from './typed-data.ts'

export type { PolicySettings }

export const DEFAULT_POLICY: PolicySettings = {
  perTxEth: '1',
  dailyEth: '5',
  perTxUsd: '100',
  dailyUsd: '500',
  maxPerMinute: 30,
  denyTargets: [],
  allowSignatures: true,
}
const DAY = 86_400
const USD_DECIMALS = 6

export type CallParam = { to: Address; value?: Hex; data?: Hex }

export function toPolicy(input: Partial<PolicySettings>, usd?: Address, signType?: string): Policy {
  const settings = { ...DEFAULT_POLICY, ...input }
  const perTxCap: Record<string, bigint> = { eth: parseEther(settings.perTxEth) }
  const budgets: Policy['budgets'] = [{ asset: 'eth', limit: parseEther(settings.dailyEth), periodSeconds: DAY }]
  const usdCap = parseUnits(settings.perTxUsd, USD_DECIMALS)
  const usdDaily = parseUnits(settings.dailyUsd, USD_DECIMALS)
  if (usd) {
    perTxCap[usd.toLowerCase()] = usdCap
    budgets.push({ asset: usd, limit: usdDaily, periodSeconds: DAY })
  }
  return {
    perTxCap,
    budgets,
    rateLimit: { max: settings.maxPerMinute, windowSeconds: 60 },
    denyTargets: settings.denyTargets,
    allowMessageSigning: settings.allowSignatures,
    // The engine allowlists non-spending typed data by primary type; the wallet's switch covers all of them.
    allowSignTypes: settings.allowSignatures && signType ? [signType] : [],
  }
}

export async function policySettings(): Promise<PolicySettings> {
  const stored = (await chrome.storage.local.get('policy')).policy as Partial<PolicySettings> | undefined
  return { ...DEFAULT_POLICY, ...stored }
}

export async function savePolicySettings(settings: PolicySettings) {
  toPolicy(settings) // throws on malformed amounts
  await chrome.storage.local.set({ policy: settings })
}

export async function policyState(): Promise<PolicyState> {
  return (
    ((await chrome.storage.local.get('policyState')).policyState as PolicyState | undefined) ?? initialPolicyState()
  )
}

export async function setFrozen(frozen: boolean) {
  const state = await policyState()
  await chrome.storage.local.set({
    policyState: { ...state, frozen, frozenReason: frozen ? 'kill switch pressed in the wallet' : undefined },
  })
}

const toCalls = (calls: CallParam[]) =>
  calls.map((c) => ({ to: c.to, value: c.value ? hexToBigInt(c.value) : 0n, data: c.data }))

/** The policy engine's view of a request: the calls it runs or, for a signature, what it authorises. */
export function actionOf(request: Pick<PendingRequest, 'origin' | 'method' | 'params'>, account: Address): Action {
  const params = (request.params ?? []) as unknown[]
  const base = { requestedBy: request.origin, account }
  switch (request.method) {
    case 'eth_sendTransaction':
      return { ...base, calls: toCalls([params[0] as CallParam]) }
    case 'wallet_sendCalls':
      return { ...base, calls: toCalls((params[0] as { calls?: CallParam[] })?.calls ?? []) }
    case 'personal_sign':
      return { ...base, calls: [], signature: { kind: 'message' }, note: 'sign message' }
    case 'eth_signTypedData_v4': {
      const typedData = parseTypedDataParam(params[1])
      return {
        ...base,
        calls: typedDataSpend(typedData as never),
        signature: { kind: 'typedData', primaryType: typedData.primaryType },
        note: `sign ${typedData.primaryType}`,
      }
    }
  }
  throw new Error(`${request.method} is not a policy action`)
}

async function policyFor(action: Action) {
  const usd = await getDevnetConfig()
    .then((c) => c.contracts.usd)
    .catch(() => undefined)
  const signType = action.signature?.kind === 'typedData' ? action.signature.primaryType : undefined
  return toPolicy(await policySettings(), usd, signType)
}

export async function policyVerdict(action: Action): Promise<Verdict> {
  return evaluatePolicy(await policyFor(action), await policyState(), action)
}

export class PolicyDeniedError extends ProviderRpcError {
  override name = 'PolicyDeniedError'
  constructor(readonly verdict: Verdict) {
    super(4100, `Blocked by the wallet's policy: ${verdict.reasons.map((r) => r.message).join(' ')}`, {
      reasons: verdict.reasons,
    })
  }
}

/** Throws (EIP-1193 4100, reasons in `data`) unless the policy allows or defers to the user. */
export async function enforcePolicy(action: Action) {
  const verdict = await policyVerdict(action)
  if (verdict.decision === 'deny') throw new PolicyDeniedError(verdict)
  return verdict
}

/** The policy bookkeeping once `action` ran (spend, rate), to store alone or with a journal entry. */
export async function policyStateAfter(action: Action): Promise<PolicyState> {
  return recordAction(await policyFor(action), await policyState(), action)
}

export async function recordPolicyAction(action: Action) {
  await chrome.storage.local.set({ policyState: await policyStateAfter(action) })
}
