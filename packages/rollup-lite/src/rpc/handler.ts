/**
 * Transport-independent JSON-RPC: `handle(request) → response`. Used by the HTTP/WS server in
 * Node and by comlink/postMessage in the browser. Nothing a client sends can stop the node:
 * every failure becomes a JSON-RPC error object.
 */
import type { Hex } from 'viem'
import { RpcCodes, RpcError } from '../chain/errors.ts'
import { MAX_REQUEST_BODY } from '../chain/spec.ts'
import type { SealedBlock, StoredReceipt } from '../chain/types.ts'
import type { NodeContext, RequestScope } from './context.ts'
import { formatBlock } from './format.ts'
import { type LogCriteria, parseCriteria, sealedLogs } from './log-criteria.ts'
import { callMethods } from './methods/call.ts'
import { chainMethods } from './methods/chain.ts'
import { logMethods } from './methods/logs.ts'
import { rollupMethods } from './methods/rollup.ts'
import { stateMethods } from './methods/state.ts'

export type JsonRpcId = string | number | null
export type JsonRpcRequest = { jsonrpc?: string; id?: JsonRpcId; method: string; params?: unknown }
export type JsonRpcError = { code: number; message: string; data?: unknown }
export type JsonRpcResponse = { jsonrpc: '2.0'; id: JsonRpcId; result?: unknown; error?: JsonRpcError }
/** A push channel (WebSocket connection, comlink callback) for eth_subscribe notifications. */
export type RpcSession = { notify(message: unknown): void }

type Method = (ctx: NodeContext, params: unknown[], scope?: RequestScope) => Promise<unknown>

/** The longest stretch of subscription pushes (or of one batch's requests) before the event loop gets a turn. */
const FAN_OUT_SLICE_MS = 5

/** Methods that change what the node does, not just read it: dev mode or the admin token only. */
const ADMIN_METHODS = new Set(['rollup_sealBlock'])

type Subscription =
  | { session: RpcSession; kind: 'newHeads' }
  | { session: RpcSession; kind: 'logs'; criteria: LogCriteria }

/** Who is asking: `admin` when the transport authenticated the admin token. */
export type RequestAuth = { admin?: boolean }

export type RpcHandler = {
  handle(
    request: unknown,
    session?: RpcSession,
    auth?: RequestAuth,
  ): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined>
  /** Parses a raw body (size-checked) and returns the serialized response ('' for notifications). */
  handleText(body: string, session?: RpcSession, auth?: RequestAuth): Promise<string>
  closeSession(session: RpcSession): void
  /** Subscriptions open now (all sessions). */
  readonly subscriptionCount: number
}

const errorResponse = (id: JsonRpcId, code: number, message: string, data?: unknown): JsonRpcResponse => ({
  jsonrpc: '2.0',
  id,
  error: data === undefined ? { code, message } : { code, message, data },
})

/** A request of a batch that had used up its time: answered, never run. */
function batchTimedOut(request: unknown, timeoutMs: number): JsonRpcResponse | undefined {
  const r = (typeof request === 'object' && request !== null ? request : {}) as JsonRpcRequest
  if (!('id' in r)) return undefined
  const id: JsonRpcId = typeof r.id === 'string' || typeof r.id === 'number' ? r.id : null
  return errorResponse(id, RpcCodes.limitExceeded, `batch timeout: at most ${timeoutMs / 1000}s per batch`)
}

const isSend = (r: unknown) =>
  typeof r === 'object' && r !== null && (r as JsonRpcRequest).method === 'eth_sendRawTransaction'

/** One response as JSON; a result that cannot be serialized fails alone, keeping its id. */
function serialize(res: JsonRpcResponse): string {
  try {
    return JSON.stringify(res)
  } catch (error) {
    return JSON.stringify(errorResponse(res.id, RpcCodes.internal, `internal error: ${(error as Error).message}`))
  }
}

export function createRpcHandler(ctx: NodeContext): RpcHandler {
  const subscriptions = new Map<Hex, Subscription>()
  let subCounter = 0
  const methods: Record<string, Method> = {
    ...chainMethods,
    ...stateMethods,
    ...callMethods,
    ...logMethods,
    ...rollupMethods,
  }

  // Subscription pushes run after the seal, a slice at a time: a block with many logs times many
  // subscriptions never holds the sequencer or the event loop (other requests answer in between).
  const fanOut: Array<{ block: SealedBlock; receipts: StoredReceipt[] }> = []
  let pumping = false
  async function pump() {
    let sliceEnd = Date.now() + FAN_OUT_SLICE_MS
    while (fanOut.length > 0) {
      const { block, receipts } = fanOut.shift() as (typeof fanOut)[number]
      const { transactions: _t, ...head } = formatBlock(block, false)
      const logs = sealedLogs(block, receipts)
      for (const [id, sub] of subscriptions) {
        const results = sub.kind === 'newHeads' ? [head] : logs(sub.criteria)
        for (const result of results) {
          // A session dropped meanwhile (slow client) has its subscriptions removed: stop at once.
          if (!subscriptions.has(id)) break
          sub.session.notify({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription: id, result } })
          if (Date.now() > sliceEnd) {
            await new Promise((resolve) => setTimeout(resolve, 0))
            sliceEnd = Date.now() + FAN_OUT_SLICE_MS
          }
        }
      }
    }
    pumping = false
  }

  ctx.events.on('blockSealed', (block: SealedBlock, receipts: StoredReceipt[]) => {
    ctx.filters.onBlock(block, receipts)
    if (subscriptions.size === 0) return
    fanOut.push({ block, receipts })
    if (pumping) return
    pumping = true
    setTimeout(() => void pump(), 0)
  })

  async function subscribe(params: unknown[], session?: RpcSession): Promise<Hex> {
    if (!session) throw new RpcError(RpcCodes.methodNotFound, 'notifications not supported on this transport')
    const { maxSubscriptions, maxSubscriptionsPerSession } = ctx.limits
    if (subscriptions.size >= maxSubscriptions)
      throw new RpcError(RpcCodes.limitExceeded, `too many subscriptions: at most ${maxSubscriptions} on this node`)
    let own = 0
    for (const sub of subscriptions.values()) if (sub.session === session) own++
    if (own >= maxSubscriptionsPerSession) {
      throw new RpcError(
        RpcCodes.limitExceeded,
        `too many subscriptions: at most ${maxSubscriptionsPerSession} per connection`,
      )
    }
    const [kind, filter] = params
    const id = `0x${(++subCounter).toString(16).padStart(32, '0')}` as Hex
    if (kind === 'newHeads') subscriptions.set(id, { session, kind })
    else if (kind === 'logs') subscriptions.set(id, { session, kind, criteria: parseCriteria(filter) })
    else throw new RpcError(RpcCodes.invalidParams, `unsupported subscription: ${String(kind)}`)
    return id
  }

  async function one(
    request: unknown,
    session: RpcSession | undefined,
    scope: RequestScope,
  ): Promise<JsonRpcResponse | undefined> {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return errorResponse(null, RpcCodes.invalidRequest, 'invalid request')
    }
    const r = request as JsonRpcRequest
    const id: JsonRpcId = typeof r.id === 'string' || typeof r.id === 'number' ? r.id : null
    const isNotification = !('id' in r)
    if (typeof r.method !== 'string')
      return errorResponse(id, RpcCodes.invalidRequest, 'invalid request: missing method')
    if (r.params !== undefined && !Array.isArray(r.params)) {
      return errorResponse(id, RpcCodes.invalidParams, 'invalid params: expected an array')
    }
    const params = (r.params as unknown[] | undefined) ?? []
    try {
      let result: unknown
      if (r.method === 'eth_subscribe') result = await subscribe(params, session)
      else if (r.method === 'eth_unsubscribe') {
        const sub = subscriptions.get(params[0] as Hex)
        result = sub !== undefined && sub.session === session && subscriptions.delete(params[0] as Hex)
      } else {
        const method = Object.hasOwn(methods, r.method) ? methods[r.method] : undefined
        if (!method || (ADMIN_METHODS.has(r.method) && !scope.admin && !ctx.limits.dev))
          return errorResponse(id, RpcCodes.methodNotFound, `the method ${r.method} does not exist/is not available`)
        result = await method(ctx, params, scope)
      }
      return isNotification ? undefined : { jsonrpc: '2.0', id, result: result ?? null }
    } catch (error) {
      if (error instanceof RpcError) return errorResponse(id, error.code, error.message, error.data)
      const message = error instanceof Error ? error.message : String(error)
      return errorResponse(id, RpcCodes.internal, `internal error: ${message}`)
    }
  }

  async function handle(request: unknown, session?: RpcSession, auth: RequestAuth = {}) {
    const admin = auth.admin === true
    if (Array.isArray(request)) {
      const { maxBatchRequests, batchGasBudget, batchTimeoutMs } = ctx.limits
      if (request.length === 0) return errorResponse(null, RpcCodes.invalidRequest, 'empty batch')
      if (request.length > maxBatchRequests)
        return errorResponse(null, RpcCodes.limitExceeded, `batch too large: at most ${maxBatchRequests} requests`)
      const out: JsonRpcResponse[] = []
      // Txs are admitted in order and share one group commit: their answers wait for their blocks
      // together, before any later request of the batch runs (it sees them, as after single sends).
      const durable: { at: number; committed: Promise<void> }[] = []
      let uncommitted = false
      const batch = { gasLeft: batchGasBudget, deadline: Date.now() + batchTimeoutMs }
      const awaitDurable = async () => {
        if (uncommitted) ctx.sequencer.commitSoon()
        uncommitted = false
        for (const { at, committed } of durable.splice(0)) {
          await committed.catch((error: RpcError) => {
            out[at] = errorResponse(out[at]?.id ?? null, error.code ?? RpcCodes.internal, error.message)
          })
        }
      }
      let sliceEnd = Date.now() + FAN_OUT_SLICE_MS
      for (let i = 0; i < request.length; ) {
        if (Date.now() > batch.deadline) {
          const res = batchTimedOut(request[i], batchTimeoutMs)
          if (res) out.push(res)
          i++
          continue
        }
        // A run of consecutive sends starts together: each reaches admission in the batch's order
        // (its nonce order), while their sender recoveries travel to the recovery thread together
        // instead of one round trip each. Anything else runs alone, after the sends before it.
        let end = i + 1
        if (isSend(request[i])) while (end < request.length && isSend(request[end])) end++
        else if (uncommitted) await awaitDurable()
        const deferred: Array<Promise<void> | undefined> = []
        const results = await Promise.all(
          request.slice(i, end).map((r, k) =>
            one(r, session, {
              admin,
              batch,
              deferDurable: (committed) => {
                deferred[k] = committed
                uncommitted = true
              },
            }),
          ),
        )
        results.forEach((res, k) => {
          if (!res) return
          out.push(res)
          const committed = deferred[k]
          if (committed) durable.push({ at: out.length - 1, committed })
        })
        i = end
        // A batch of cheap requests resolves in microtasks only: give other clients a turn.
        if (Date.now() > sliceEnd) {
          await new Promise((resolve) => setTimeout(resolve, 0))
          sliceEnd = Date.now() + FAN_OUT_SLICE_MS
        }
      }
      await awaitDurable()
      return out.length > 0 ? out : undefined
    }
    return one(request, session, { admin })
  }

  return {
    handle,
    get subscriptionCount() {
      return subscriptions.size
    },
    async handleText(body, session, auth) {
      if (body.length > MAX_REQUEST_BODY) {
        return JSON.stringify(
          errorResponse(null, RpcCodes.limitExceeded, `request too large: at most ${MAX_REQUEST_BODY} bytes`),
        )
      }
      let parsed: unknown
      try {
        parsed = JSON.parse(body)
      } catch {
        return JSON.stringify(errorResponse(null, RpcCodes.parseError, 'parse error'))
      }
      const res = await handle(parsed, session, auth)
      if (res === undefined) return ''
      if (!Array.isArray(res)) return serialize(res)
      // The batch's answer is bounded too: past the limit, each later answer is a short error.
      const { maxBatchResponseBytes } = ctx.limits
      let size = 0
      const parts = res.map((r) => {
        const text =
          size > maxBatchResponseBytes
            ? JSON.stringify(
                errorResponse(
                  r.id,
                  RpcCodes.limitExceeded,
                  `batch response too large: at most ${maxBatchResponseBytes} bytes`,
                ),
              )
            : serialize(r)
        size += text.length
        return text
      })
      return `[${parts.join(',')}]`
    },
    closeSession(session) {
      for (const [id, sub] of subscriptions) if (sub.session === session) subscriptions.delete(id)
    },
  }
}
