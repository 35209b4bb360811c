/**
 * Where one `x402_fetch` payment's milliseconds go, for the agent bench's breakdown. Two clocks, each
 * read where it runs, nothing added to the code measured beyond its marks:
 *   - the bench's Node process hosts the seller, its facilitator and the rollup: Node's own diagnostics
 *     channels time the seller's two requests (`http.server.*`) and the HTTP calls made for them
 *     (`undici:*`: the seller's /settle, the facilitator's JSON-RPC calls to the rollup);
 *   - the service worker marks its stages (`x402:<stage>`, background/agent/x402.ts), read after each
 *     payment; only differences between its own marks are used.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { IncomingMessage, Server } from 'node:http'
import { round, stats } from '@seed/testkit/bench'
import type { Worker } from 'playwright-core'
import { PAYMENT_STAGES } from '../src/background/agent/payment-stages.ts'

type UndiciRequest = { origin: string; path: string }
type Span = { name: string; start: number; end?: number }

export function tracePayments(options: { seller: Server; facilitatorUrl: string; rollupUrl: string }) {
  const facilitator = new URL(options.facilitatorUrl).origin
  const rollup = new URL(options.rollupUrl).origin
  let spans: Span[] = []
  const open = new WeakMap<object, Span>()
  const begin = (key: object, name: string) => {
    const span = { name, start: performance.now() }
    spans.push(span)
    open.set(key, span)
  }
  const end = (key: object) => {
    const span = open.get(key)
    if (span) span.end = performance.now()
  }

  const onServerStart = (message: unknown) => {
    const { request, server } = message as { request: IncomingMessage; server: Server }
    if (server !== options.seller) return
    begin(request, request.headers['payment-signature'] ? 'seller: paid request' : 'seller: unpaid request → 402')
  }
  const onServerFinish = (message: unknown) => end((message as { request: object }).request)
  const onClientCreate = (message: unknown) => {
    const { request } = message as { request: UndiciRequest }
    if (request.origin === facilitator) begin(request, `facilitator ${request.path}`)
    else if (request.origin === rollup) begin(request, 'rollup JSON-RPC')
  }
  const onClientHeaders = (message: unknown) => end((message as { request: object }).request)
  const channels: [string, (message: unknown) => void][] = [
    ['http.server.request.start', onServerStart],
    ['http.server.response.finish', onServerFinish],
    ['undici:request:create', onClientCreate],
    ['undici:request:headers', onClientHeaders],
  ]
  for (const [name, listener] of channels) subscribe(name, listener)

  const samples = new Map<string, number[]>()
  const rpcCalls: number[] = []
  const add = (name: string, ms: number) => {
    if (!samples.has(name)) samples.set(name, [])
    samples.get(name)?.push(ms)
  }

  return {
    /** Starts one payment's trace: everything recorded before it is dropped. */
    begin() {
      spans = []
      return performance.now()
    },
    /** Ends one payment (called when its MCP call returned), reading the worker's marks. */
    async end(startedAt: number, worker: Worker) {
      const endedAt = performance.now()
      const marks = new Map(
        await worker.evaluate(() =>
          performance
            .getEntriesByType('mark')
            .filter((m) => m.name.startsWith('x402:'))
            .map((m) => [m.name.slice(5), m.startTime] as const),
        ),
      )
      const unpaid = spans.find((s) => s.name.startsWith('seller: unpaid'))
      const paid = spans.find((s) => s.name === 'seller: paid request')
      if (!unpaid?.end || !paid?.end) throw new Error('payment trace: the seller saw no unpaid and paid request')
      add('agent → wallet → unpaid request (MCP, worker, fetch)', unpaid.start - startedAt)
      add(unpaid.name, unpaid.end - unpaid.start)
      for (let i = 1; i < PAYMENT_STAGES.length; i++) {
        const from = marks.get(PAYMENT_STAGES[i - 1] as string)
        const to = marks.get(PAYMENT_STAGES[i] as string)
        if (from !== undefined && to !== undefined) add(`wallet: → ${PAYMENT_STAGES[i]}`, to - from)
      }
      add(paid.name, paid.end - paid.start)
      const paidEnd = paid.end
      const within = spans.filter((s) => s !== paid && s.end !== undefined && s.start >= paid.start && s.end <= paidEnd)
      for (const span of within.filter((s) => s.name.startsWith('facilitator'))) {
        add(`  of which ${span.name}`, (span.end as number) - span.start)
      }
      // The settlement's JSON-RPC calls to the rollup, their time together (a cache refresh adds one now and then).
      const calls = within.filter((s) => s.name === 'rollup JSON-RPC')
      add(
        '  of which rollup JSON-RPC',
        calls.reduce((t, s) => t + (s.end as number) - s.start, 0),
      )
      rpcCalls.push(calls.length)
      add('answer → agent (worker, MCP)', endedAt - paid.end)
    },
    /** p50 of each stage, in the order first seen: one line for the figure's notes. */
    breakdown(): string {
      const stages = [...samples].map(([name, ms]) => `${name.trim()} ${round(stats(ms).p50, 1)}`)
      if (rpcCalls.length)
        stages.push(`rollup JSON-RPC calls per payment p50 ${stats(rpcCalls).p50}, max ${Math.max(...rpcCalls)}`)
      return stages.join('; ')
    },
    close() {
      for (const [name, listener] of channels) unsubscribe(name, listener)
    },
  }
}
