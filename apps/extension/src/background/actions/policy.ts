/**
 * The wallet's guardrails: @seed/aa's action pipeline (the one policy engine) over chrome.storage.local,
 * its reservations under a Web Lock shared by every extension context (decision 0422). Everything the
 * wallet signs goes through it: dApp sends and signatures (decision 0410), start batching (0415), the
 * batcher top-up (0416). A request's spend, its maximum fee included, is RESERVED when it arrives
 * (before any window opens), re-checked when it executes, settled at what it really cost once it
 * lands, and released if it is rejected or fails. Budgets roll over the last 24 h.
 * Settings persist in chrome.storage.local; amounts are decimal strings.
 */

import {
  type Action,
  createActionPipeline,
  type KeyValueStorage,
  type Lock,
  type Policy,
  type PolicyState,
  typedDataAction,
  type Verdict,
} from '@seed/aa'
import { seedBountyEscrow, seedErc8004Registries } from '@seed/contracts'
import {
  type Address,
  type Hex,
  hexToBigInt,
  hexToBytes,
  isHex,
  parseEther,
  parseGwei,
  parseUnits,
  zeroAddress,
} from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { ProviderRpcError } from '../../core/errors.ts'
import type { PendingRequest, PolicySettings } from '../../core/protocol.ts'
import { keyValueStorage, stored } from '../../core/storage.ts'
import { activeRegistries } from '../agents/registries.ts'
import { parseTypedDataParam } from '../approvals/typed-data.ts'
import { usdTwinCountsAsUsd } from './usd-twin.ts'

export type { PolicySettings }

export const DEFAULT_POLICY: PolicySettings = {
  perTxEth: '1',
  dailyEth: '5',
  perTxUsd: '100',
  dailyUsd: '500',
  maxPerMinute: 30,
  denyTargets: [],
  allowSignatures: true,
  allowHashSigning: false,
  allowSpendingSignTypes: [],
  // Far above what the devnet (or mainnet on a calm day) asks; a bundler asking more is refused.
  maxFeePerGasGwei: '200',
  maxGas: 10_000_000,
}
const DAY = 86_400
const USD_DECIMALS = 6
const STATE_KEY = 'policyState'

export type CallParam = { to: Address; value?: Hex; data?: Hex }

export function toPolicy(input: Partial<PolicySettings>, usd?: Address): Policy {
  const settings = { ...DEFAULT_POLICY, ...input }
  const perTxCap: Record<string, bigint> = { eth: parseEther(settings.perTxEth) }
  const budgets: Policy['budgets'] = [{ asset: 'eth', limit: parseEther(settings.dailyEth), periodSeconds: DAY }]
  const usdCap = parseUnits(settings.perTxUsd, USD_DECIMALS)
  const usdDaily = parseUnits(settings.dailyUsd, USD_DECIMALS)
  if (usd) {
    perTxCap[usd.toLowerCase()] = usdCap
    budgets.push({ asset: usd, limit: usdDaily, periodSeconds: DAY })
  }
  const approvalAbove: Record<string, bigint> = {}
  if (settings.approvalAboveEth) approvalAbove.eth = parseEther(settings.approvalAboveEth)
  if (usd && settings.approvalAboveUsd)
    approvalAbove[usd.toLowerCase()] = parseUnits(settings.approvalAboveUsd, USD_DECIMALS)
  return {
    perTxCap,
    budgets,
    ...(usd ? { sameAsset: usdTwinCountsAsUsd(usd) } : {}),
    ...(Object.keys(approvalAbove).length ? { approvalAbove } : {}),
    rateLimit: { max: settings.maxPerMinute, windowSeconds: 60 },
    denyTargets: settings.denyTargets,
    allowMessageSigning: settings.allowSignatures,
    // The engine allowlists non-spending typed data by primary type; the wallet's switch covers all of them.
    allowSignTypes: settings.allowSignatures ? 'any' : [],
    allowHashSigning: settings.allowHashSigning,
    allowSpendingSignTypes: settings.allowSpendingSignTypes,
    feeCaps: { maxGas: BigInt(settings.maxGas), maxFeePerGas: parseGwei(settings.maxFeePerGasGwei) },
  }
}

export async function policySettings(): Promise<PolicySettings> {
  return { ...DEFAULT_POLICY, ...(await stored.policy.get()) }
}

export async function savePolicySettings(settings: PolicySettings) {
  toPolicy(settings) // throws on malformed amounts
  await stored.policy.set(settings)
}

async function currentPolicy() {
  const usd = await getDevnetConfig()
    .then((c) => c.contracts.usd)
    .catch(() => undefined)
  return toPolicy(await policySettings(), usd)
}

const local = keyValueStorage('local')

/** aa's storage seam on the local area (the ledger is plain JSON: amounts are strings). */
const ledgerStorage: KeyValueStorage = {
  async get<T>(key: string) {
    const value = await local.get<unknown>(key)
    // A ledger from before the rolling log (fixed-window totals) starts empty, keeping its kill switch.
    const state = value as Partial<PolicyState> | undefined
    if (key === STATE_KEY && state && !Array.isArray(state.ledger)) {
      return { frozen: state.frozen === true, ledger: [] } satisfies PolicyState as T
    }
    return value as T | undefined
  },
  set: (key, value) => local.set(key, value),
  delete: (key) => local.delete(key),
}

/** One reservation at a time across the service worker and every extension page. */
const webLock: Lock = <T>(fn: () => Promise<T>) => navigator.locks.request('seed.policy', fn) as Promise<T>

export const actions = createActionPipeline({
  storage: ledgerStorage,
  lock: webLock,
  policy: currentPolicy,
  stateKey: STATE_KEY,
})

/**
 * The same ledger, lock and policy for the wallet's own admin flows that the user approved in the
 * wallet (an ERC-7715 grant installs or revokes a session key on the account): only these may call
 * the account's admin functions (decision 0423); every other limit applies as it does to `actions`.
 */
export const adminActions = createActionPipeline({
  storage: ledgerStorage,
  lock: webLock,
  policy: async () => ({ ...(await currentPolicy()), allowAdminCalls: true }),
  stateKey: STATE_KEY,
})

/** `reserve` for an admin flow (see `adminActions`). */
export async function reserveAdmin(id: string, action: Action) {
  const verdict = await adminActions.reserve(id, action)
  if (verdict.decision === 'deny') throw new PolicyDeniedError(verdict)
  return verdict
}

export const policyState = () => actions.state()

export async function setFrozen(frozen: boolean) {
  await actions.setFrozen(frozen, 'kill switch pressed in the wallet')
}

/** A contract creation (no `to`, rollup only) is a call to the zero address as far as the policy counts. */
const toCalls = (calls: CallParam[]) =>
  calls.map((c) => ({ to: c.to ?? zeroAddress, value: c.value ? hexToBigInt(c.value) : 0n, data: c.data }))

/**
 * Contracts whose EIP-712 domain the wallet never signs for a page: the account and the EntryPoint
 * (a user-op or account-internal payload), and the ERC-8004 identity registry (its AgentWalletSet proof
 * would make the account the paid wallet of someone else's agent; only the wallet's own registration
 * signs it, decision 0801), and the bounty escrow (its EpochVoucher pays an operator: only the wallet's payer
 * signs one, after a passed probe, decision 0802). Seed's tokens stay signable: a Seed USD permit is a spend the policy prices.
 */
async function protectedContracts(account: Address): Promise<Address[]> {
  const contracts = (await getDevnetConfig().catch(() => undefined))?.contracts
  // Fails closed: if the network's settings cannot be read, Seed's registry is still protected.
  const { identity } = await activeRegistries().catch(() => seedErc8004Registries())
  return [account, contracts?.entryPointV07, contracts?.entryPointV08, identity, seedBountyEscrow()].filter(
    (a): a is Address => !!a,
  )
}

/** The policy engine's view of a request: the calls it runs or, for a signature, what it authorises. */
export async function actionOf(
  request: Pick<PendingRequest, 'origin' | 'method' | 'params'>,
  account: Address,
): Promise<Action> {
  const params = (request.params ?? []) as unknown[]
  const base = { requestedBy: request.origin, account }
  switch (request.method) {
    case 'eth_sendTransaction':
      return { ...base, calls: toCalls([params[0] as CallParam]) }
    case 'wallet_sendCalls':
      return { ...base, calls: toCalls((params[0] as { calls?: CallParam[] })?.calls ?? []) }
    case 'personal_sign': {
      const raw = params[0]
      const length = isHex(raw) ? hexToBytes(raw).length : new TextEncoder().encode(String(raw)).length
      return { ...base, calls: [], signature: { kind: 'message', length }, note: 'sign message' }
    }
    case 'eth_signTypedData_v4': {
      const typedData = parseTypedDataParam(params[1])
      const { calls, signature } = typedDataAction(typedData, await protectedContracts(account))
      return { ...base, calls, signature, note: `sign ${typedData.primaryType}` }
    }
  }
  throw new Error(`${request.method} is not a policy action`)
}

/** The reservation of a dApp request is keyed by its request id (stable across worker restarts). */
export const reservationOf = (requestId: string) => `dapp:${requestId}`

export async function policyVerdict(action: Action): Promise<Verdict> {
  return actions.verdict(action)
}

export class PolicyDeniedError extends ProviderRpcError {
  override name = 'PolicyDeniedError'
  constructor(readonly verdict: Verdict) {
    super(4100, `Blocked by the wallet's policy: ${verdict.reasons.map((r) => r.message).join(' ')}`, {
      reasons: verdict.reasons,
    })
  }
}

/**
 * Reserves the action's spend under `id` (or re-checks an existing reservation, e.g. now that its fee
 * is known). Throws (EIP-1193 4100, reasons in `data`) when the policy denies it; the old reservation,
 * if any, then stays until the caller releases it.
 */
export async function reserve(id: string, action: Action) {
  const verdict = await actions.reserve(id, action)
  if (verdict.decision === 'deny') throw new PolicyDeniedError(verdict)
  return verdict
}
