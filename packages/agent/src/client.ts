/**
 * The Node client: the capability API (the extension's `SeedAgentApi`, same types) over any `invoke`
 * — a bridge's, in this package. `events.subscribe` is a long-poll loop over `events.poll`.
 */
import type { AgentEvent, CapabilityMethod, EventTopic, SeedAgentApi } from './api.ts'

export type Invoke = (method: CapabilityMethod, params?: unknown) => Promise<unknown>

export function createSeedAgent(invoke: Invoke): SeedAgentApi {
  const call = <T>(method: CapabilityMethod, params?: unknown) => invoke(method, params) as Promise<T>
  return {
    wallet: {
      addresses: () => call('wallet.addresses'),
      balances: () => call('wallet.balances'),
      sendCalls: (params) => call('wallet.sendCalls', params),
      signTypedData: (params) => call('wallet.signTypedData', params),
    },
    rollup: {
      status: () => call('rollup.status'),
      send: (params) => call('rollup.send', params),
      deploy: (params) => call('rollup.deploy', params),
      call: (params) => call('rollup.call', params),
      batches: () => call('rollup.batches'),
    },
    x402: { fetch: (url, init) => call('x402.fetch', { url, ...(init ? { init } : {}) }) },
    policy: { get: () => call('policy.get') },
    activity: { list: (params) => call('activity.list', params) },
    agents: {
      register: (params) => call('agents.register', params),
      feedback: (params) => call('agents.feedback', params),
      respond: (params) => call('agents.respond', params),
      find: (params) => call('agents.find', params),
      summary: (params) => call('agents.summary', params),
    },
    bounties: {
      post: (params) => call('bounties.post', params),
      close: (params) => call('bounties.close', params),
      withdraw: (params) => call('bounties.withdraw', params),
    },
    bridge: {
      deposit: (params) => call('bridge.deposit', params),
      withdraw: (params) => call('bridge.withdraw', params),
      prove: (params) => call('bridge.prove', params),
      finalize: (params) => call('bridge.finalize', params),
      status: () => call('bridge.status'),
    },
    events: {
      subscribe(topics: EventTopic[], listener: (event: AgentEvent) => void) {
        let stopped = false
        void (async () => {
          let cursor: number | undefined
          while (!stopped) {
            try {
              const result = await call<{ cursor: number; events: AgentEvent[] }>('events.poll', {
                topics,
                cursor,
                waitMs: 20_000,
              })
              cursor = result.cursor
              if (!stopped) for (const event of result.events) listener(event)
            } catch {
              await new Promise((r) => setTimeout(r, 1_000)) // the wallet is reconnecting
            }
          }
        })()
        return () => {
          stopped = true
        }
      },
    },
    log: (message, level) => call('log', { message, ...(level ? { level } : {}) }),
    sleep: (ms) => call('sleep', { ms }),
  }
}
