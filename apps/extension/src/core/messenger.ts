/**
 * The one typed messenger for every hop (see README "Who talks to whom"):
 *   page ↔ content      window.postMessage envelopes   (windowPost / onWindowMessage)
 *   content/UI/offscreen → background, background → offscreen   chrome.runtime.sendMessage (send / serve)
 *   background → content  chrome.tabs.sendMessage         (sendToTab)
 *   offscreen ↔ worker   comlink (typed by the worker's exposed API)
 * Every runtime envelope names its target, because every extension context (the offscreen
 * document included) receives every runtime message.
 */
import { deserializeError, ErrorCode, ProviderRpcError, type SerializedError, serializeError } from './errors.ts'

export type Protocol = Record<string, { req: any; res: any }>
export type Target = 'background' | 'offscreen' | 'content'
type Envelope = { seed: 1; to: Target; type: string; payload: unknown }
type Reply = { result?: unknown; error?: SerializedError }
export type Handlers<P extends Protocol> = {
  [K in keyof P]: (payload: P[K]['req'], sender: chrome.runtime.MessageSender) => Promise<P[K]['res']> | P[K]['res']
}

const isEnvelope = (m: unknown, to: Target): m is Envelope =>
  typeof m === 'object' && m !== null && (m as Envelope).seed === 1 && (m as Envelope).to === to

/** Errors that mean "the service worker went away mid-call": safe to re-send the same request. */
export function isTransientRuntimeError(error: unknown) {
  const message = String((error as Error)?.message ?? error)
  return /message port closed|Receiving end does not exist|message channel closed|No SW/i.test(message)
}

export type SendOptions = { retries?: number; retryDelayMs?: number }

/** Sends a typed message to a runtime target and returns its typed answer (errors re-thrown). */
export function runtimeClient<P extends Protocol>(to: Target, defaults: SendOptions = {}) {
  return async function send<K extends keyof P & string>(
    type: K,
    payload: P[K]['req'],
    options: SendOptions = defaults,
  ): Promise<P[K]['res']> {
    const { retries = 0, retryDelayMs = 100 } = options
    for (let attempt = 0; ; attempt++) {
      let reply: Reply | undefined
      try {
        reply = (await chrome.runtime.sendMessage({ seed: 1, to, type, payload } satisfies Envelope)) as Reply
      } catch (error) {
        if (/Extension context invalidated/i.test(String((error as Error)?.message))) {
          throw new ProviderRpcError(ErrorCode.disconnected, 'The Seed extension was reloaded or removed.')
        }
        if (attempt < retries && isTransientRuntimeError(error)) {
          await new Promise((r) => setTimeout(r, retryDelayMs))
          continue
        }
        throw error
      }
      if (reply === undefined) {
        // Nobody answered (e.g. the offscreen document is still starting): retry like a transient error.
        if (attempt < retries) {
          await new Promise((r) => setTimeout(r, retryDelayMs))
          continue
        }
        throw new ProviderRpcError(ErrorCode.disconnected, `No ${to} answered "${type}".`)
      }
      if (reply.error) throw deserializeError(reply.error)
      return reply.result as P[K]['res']
    }
  }
}

/** Serves a runtime target's protocol; messages for other targets are left alone. */
export function serveRuntime<P extends Protocol>(to: Target, handlers: Handlers<P>) {
  const listener = (message: unknown, sender: chrome.runtime.MessageSender, sendResponse: (r: Reply) => void) => {
    if (!isEnvelope(message, to)) return false
    const handler = handlers[message.type as keyof P]
    if (!handler) return false
    Promise.resolve()
      .then(() => handler(message.payload as never, sender))
      .then(
        (result) => sendResponse({ result }),
        (error) => sendResponse({ error: serializeError(error) }),
      )
    return true
  }
  chrome.runtime.onMessage.addListener(listener)
  return () => chrome.runtime.onMessage.removeListener(listener)
}

/** background → one tab's content script (fire and forget: the tab may have no content script). */
export async function sendToTab<P extends Protocol, K extends keyof P & string>(
  tabId: number,
  type: K,
  payload: P[K]['req'],
) {
  try {
    await chrome.tabs.sendMessage(tabId, { seed: 1, to: 'content', type, payload } satisfies Envelope)
  } catch {
    // no content script in that tab (chrome:// page, not yet loaded): nothing to tell
  }
}

// ---- page ↔ content (window.postMessage) ----

export const WINDOW_CHANNEL = 'seed-wallet'
export type WindowMessage =
  | { channel: typeof WINDOW_CHANNEL; to: 'content'; kind: 'request'; id: string; method: string; params?: unknown }
  | {
      channel: typeof WINDOW_CHANNEL
      to: 'inpage'
      kind: 'response'
      id: string
      result?: unknown
      error?: SerializedError
    }
  | { channel: typeof WINDOW_CHANNEL; to: 'inpage'; kind: 'event'; event: string; data: unknown }

type Distribute<T> = T extends unknown ? Omit<T, 'channel'> : never

export function windowPost(message: Distribute<WindowMessage>) {
  window.postMessage({ channel: WINDOW_CHANNEL, ...message }, window.location.origin)
}

export function onWindowMessage<To extends WindowMessage['to']>(
  to: To,
  handler: (message: Extract<WindowMessage, { to: To }>) => void,
) {
  const listener = (event: MessageEvent) => {
    if (event.source !== window || event.origin !== window.location.origin) return
    const data = event.data as WindowMessage
    if (data?.channel !== WINDOW_CHANNEL || data.to !== to) return
    handler(data as Extract<WindowMessage, { to: To }>)
  }
  window.addEventListener('message', listener)
  return () => window.removeEventListener('message', listener)
}

export { serializeError }
