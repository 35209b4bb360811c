/**
 * The capability API's one entry: `invokeCapability(caller, method, params)`. The caller is resolved
 * first (a revoked, expired or unknown pairing is refused before anything else), the params checked
 * (bad input → -32602 with what was wrong), then the method runs; sends and signatures go through the
 * action pipeline in act.ts. Every error is an EIP-1193 / EIP-1474 ProviderRpcError.
 */

import type { Caller, CallRequest, CapabilityMethod, ChainName, EventTopic, ParamsOf, ResultOf } from '@seed/agent/api'
import { type Address, type Hex, isAddress, isHex } from 'viem'
import { ErrorCode, invalidParams, ProviderRpcError } from '../../core/errors.ts'
import { findAgents } from '../agents/discovery.ts'
import { giveFeedback, parseFeedbackParams } from '../agents/feedback.ts'
import { parseRegisterParams, registerOwnAgent } from '../agents/register.ts'
import { reputationOf } from '../agents/reputation.ts'
import { parseResponseParams, respondToFeedback } from '../agents/respond.ts'
import { closeBounty, parseBountyRef, withdrawBounty } from '../bounties/close-bounty.ts'
import { parsePostBountyParams, postBounty } from '../bounties/post-bounty.ts'
import * as bridge from '../bridge/index.ts'
import { appendLog } from './agent-log.ts'
import { type ResolvedCaller, resolveCaller } from './caller.ts'
import { poll } from './events.ts'
import { activityView, policyView } from './policy-view.ts'
import * as rollup from './rollup.ts'
import * as wallet from './wallet.ts'
import { x402Fetch } from './x402.ts'

const MAX_CALLS = 32
const MAX_SLEEP_MS = 60_000
const TOPICS: readonly EventTopic[] = ['l1Block', 'baseFee', 'incomingPayment', 'batchPosted']

const record = (params: unknown, method: string): Record<string, unknown> => {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw invalidParams(`${method}: params must be an object`)
  return params as Record<string, unknown>
}
const address = (value: unknown, what: string): Address => {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) throw invalidParams(`${what}: not an address`)
  return value
}
const hex = (value: unknown, what: string): Hex => {
  if (typeof value !== 'string' || !isHex(value, { strict: true })) throw invalidParams(`${what}: not 0x-hex`)
  return value
}
const optionalHex = (value: unknown, what: string) => (value === undefined ? undefined : hex(value, what))
const chain = (value: unknown, method: string): ChainName => {
  if (value !== 'l1' && value !== 'rollup') throw invalidParams(`${method}: chain must be "l1" or "rollup"`)
  return value
}
const callOf = (value: unknown, what: string): CallRequest => {
  const c = record(value, what)
  const value_ = optionalHex(c.value, `${what}.value`)
  const data = optionalHex(c.data, `${what}.data`)
  return { to: address(c.to, `${what}.to`), ...(value_ ? { value: value_ } : {}), ...(data ? { data } : {}) }
}
const nonNegative = (value: unknown, what: string, max: number) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidParams(`${what}: a number ≥ 0`)
  return Math.min(value, max)
}

const agentIdOf = (value: unknown): bigint => {
  if (typeof value !== 'string' || !/^\d{1,78}$/.test(value)) throw invalidParams('agentId: a decimal string')
  return BigInt(value)
}

type Handler<M extends CapabilityMethod> = (caller: ResolvedCaller, params: unknown) => Promise<ResultOf<M>>
type Table = { [M in CapabilityMethod]: Handler<M> }

/** Exactly the methods of `Capabilities` (the compiler keeps the two in step). */
const HANDLERS: Table = {
  'wallet.addresses': () => wallet.addresses(),
  'wallet.balances': () => wallet.balances(),
  'wallet.sendCalls': (caller, params) => {
    const p = record(params, 'wallet.sendCalls')
    if (!Array.isArray(p.calls) || !p.calls.length || p.calls.length > MAX_CALLS)
      throw invalidParams(`wallet.sendCalls: 1 to ${MAX_CALLS} calls`)
    const calls = p.calls.map((c, i) => callOf(c, `calls[${i}]`))
    return wallet.sendCalls(caller, chain(p.chain, 'wallet.sendCalls'), calls)
  },
  'wallet.signTypedData': (caller, params) => {
    const p = record(params, 'wallet.signTypedData')
    if (typeof p.typedData !== 'object' && typeof p.typedData !== 'string')
      throw invalidParams('wallet.signTypedData: typedData must be an EIP-712 object')
    return wallet.signTypedData(caller, chain(p.chain, 'wallet.signTypedData'), p.typedData)
  },
  'rollup.status': () => rollup.status(),
  'rollup.send': (caller, params) => rollup.send(caller, callOf(params, 'rollup.send')),
  'rollup.deploy': (caller, params) => {
    const p = record(params, 'rollup.deploy')
    const bytecode = hex(p.bytecode, 'rollup.deploy.bytecode')
    if (bytecode.length < 4) throw invalidParams('rollup.deploy: empty bytecode')
    return rollup.deploy(caller, bytecode, optionalHex(p.value, 'rollup.deploy.value'))
  },
  'rollup.call': (_caller, params) => {
    const p = record(params, 'rollup.call')
    return rollup.call(address(p.to, 'rollup.call.to'), hex(p.data, 'rollup.call.data'))
  },
  'rollup.batches': () => rollup.batches(),
  'x402.fetch': (caller, params) => {
    const p = record(params, 'x402.fetch')
    if (typeof p.url !== 'string') throw invalidParams('x402.fetch: url must be a string')
    const init = p.init === undefined ? {} : record(p.init, 'x402.fetch.init')
    if (init.body !== undefined && typeof init.body !== 'string')
      throw invalidParams('x402.fetch: init.body must be text')
    if (init.method !== undefined && typeof init.method !== 'string')
      throw invalidParams('x402.fetch: init.method must be text')
    const headers = init.headers === undefined ? undefined : record(init.headers, 'x402.fetch.init.headers')
    if (headers && Object.values(headers).some((v) => typeof v !== 'string'))
      throw invalidParams('x402.fetch: header values must be text')
    return x402Fetch(caller, p.url, {
      method: init.method as string | undefined,
      headers: headers as Record<string, string> | undefined,
      body: init.body as string | undefined,
    })
  },
  'policy.get': (caller) => policyView(caller),
  'activity.list': (_caller, params) => {
    const limit = params === undefined ? undefined : record(params, 'activity.list').limit
    return activityView(limit === undefined ? undefined : nonNegative(limit, 'activity.list.limit', 100))
  },
  'agents.register': (caller, params) => registerOwnAgent(caller, parseRegisterParams(params)),
  'agents.feedback': (caller, params) => giveFeedback(caller, parseFeedbackParams(params)),
  'agents.respond': (caller, params) => respondToFeedback(caller, parseResponseParams(params)),
  'agents.find': (_caller, params) => {
    const kind = params === undefined ? undefined : record(params, 'agents.find').kind
    if (kind !== undefined && (typeof kind !== 'string' || !kind || kind.length > 100))
      throw invalidParams('agents.find: kind must be a service name (1 to 100 characters)')
    return findAgents(kind as string | undefined)
  },
  'agents.summary': (_caller, params) => reputationOf(agentIdOf(record(params, 'agents.summary').agentId)),
  'bounties.post': (caller, params) => postBounty(caller, parsePostBountyParams(params)),
  'bounties.close': (caller, params) => closeBounty(caller, parseBountyRef(params, 'bounties.close')),
  'bounties.withdraw': (caller, params) => withdrawBounty(caller, parseBountyRef(params, 'bounties.withdraw')),
  'bridge.deposit': (caller, params) => bridge.deposit(caller, record(params, 'bridge.deposit')),
  'bridge.withdraw': (caller, params) => bridge.withdraw(caller, record(params, 'bridge.withdraw')),
  'bridge.prove': (caller, params) => bridge.prove(caller, record(params, 'bridge.prove')),
  'bridge.finalize': (caller, params) => bridge.finalize(caller, record(params, 'bridge.finalize')),
  'bridge.status': () => bridge.status(),
  'events.poll': (caller, params) => {
    const p = record(params, 'events.poll')
    if (!Array.isArray(p.topics) || !p.topics.every((t) => TOPICS.includes(t as EventTopic)))
      throw invalidParams(`events.poll: topics among ${TOPICS.join(', ')}`)
    const cursor =
      p.cursor === undefined ? undefined : nonNegative(p.cursor, 'events.poll.cursor', Number.MAX_SAFE_INTEGER)
    const waitMs = p.waitMs === undefined ? 0 : nonNegative(p.waitMs, 'events.poll.waitMs', 25_000)
    return poll(caller.origin, p.topics as EventTopic[], cursor, waitMs)
  },
  log: (caller, params) => {
    const p = record(params, 'log')
    if (typeof p.message !== 'string') throw invalidParams('log: message must be text')
    const level = p.level ?? 'info'
    if (level !== 'info' && level !== 'warn' && level !== 'error')
      throw invalidParams('log: level is info, warn or error')
    return appendLog(caller, level, p.message)
  },
  sleep: async (_caller, params) => {
    const ms = nonNegative(record(params, 'sleep').ms, 'sleep.ms', MAX_SLEEP_MS)
    await new Promise((r) => setTimeout(r, ms))
    return null
  },
}

export const CAPABILITY_METHODS = Object.keys(HANDLERS) as CapabilityMethod[]

export function isCapabilityMethod(method: unknown): method is CapabilityMethod {
  return typeof method === 'string' && Object.hasOwn(HANDLERS, method)
}

/** Runs one capability for `caller`; throws a ProviderRpcError (4100 refused, 4200 unknown, -32602 bad params…). */
export async function invokeCapability<M extends CapabilityMethod>(
  caller: Caller,
  method: M,
  params?: ParamsOf<M> | unknown,
): Promise<ResultOf<M>> {
  if (!isCapabilityMethod(method)) {
    throw new ProviderRpcError(ErrorCode.unsupportedMethod, `Unknown capability "${String(method)}"`)
  }
  const resolved = await resolveCaller(caller)
  return (HANDLERS[method] as Handler<M>)(resolved, params)
}
