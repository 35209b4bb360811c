/**
 * The one typed messenger for every hop. Each message type's route — its target, who may send it
 * and how a lost answer is retried — is declared once, in `ROUTES`; `send`/`serve` enforce it, so
 * no handler checks its sender itself. Who talks to whom (also in the README):
 *
 *   from → to                  transport                 messages     sender check (serve)            retries
 *   page (inpage) → content    window.postMessage        request      same window, same origin        —
 *     (sendWindowRequest / serveWindowRequests)
 *   content → page             window.postMessage        response,    same window, same origin        —
 *     (emitToPage / onWindowEvent)                       event
 *   content → background       runtime.sendMessage       rpc          a content script in a tab       20 × 150 ms
 *                                                                     (its origin comes from Chrome)
 *   popup, approval → backgr.  runtime.sendMessage       ui:*         an extension page               10 × 100 ms
 *   background → offscreen     runtime.sendMessage       rollup:configureBatcher: this extension,    50 × 100 ms
 *                                                        outside any tab; other rollup:*: an extension
 *                                                        page or worker (never a content script)
 *   background → offscreen     runtime.sendMessage       script:run,  this extension, outside tabs    50 × 100 ms
 *                                                        script:stop
 *   offscreen → background     runtime.sendMessage       script:call, the offscreen document          script:call never
 *                                                        script:events                                (it may move value)
 *   background → content       tabs.sendMessage          event        this extension                  — (fire and forget)
 *   offscreen ↔ worker         comlink (typed by the worker's exposed API)
 *
 * Every runtime envelope names its target, because every extension context (the offscreen
 * document included) receives every runtime message. Retries cover a service worker or offscreen
 * document that went away or is still starting (no receiver, a closed port): the same request is
 * re-sent, and its receiver answers it once (request ids, nonces).
 */
import { deserializeError, ErrorCode, ProviderRpcError, type SerializedError, serializeError } from './errors.ts'
import type { BackgroundProtocol, ContentProtocol, OffscreenProtocol } from './protocol.ts'

export type Protocol = Record<string, { req: any; res: any }>
export type Target = 'background' | 'offscreen' | 'content'
type Messages = BackgroundProtocol & OffscreenProtocol & ContentProtocol
type ProtocolOf<T extends Target> = T extends 'background'
  ? BackgroundProtocol
  : T extends 'offscreen'
    ? OffscreenProtocol
    : ContentProtocol

/**
 * Who may send a message:
 * - `webPageTab`: a content script in a tab (its origin, from Chrome, is what the handler trusts);
 * - `extensionPage`: one of this extension's own pages (never a content script);
 * - `extensionOutsideTabs`: this extension's service worker or offscreen document (no tab at all);
 * - `thisExtension`: this extension (content scripts hear only `chrome.tabs.sendMessage`, which only it can call);
 * - `offscreenDocument`: this extension's offscreen document (the sandbox host relaying a script's calls).
 */
export type SenderRule = 'webPageTab' | 'extensionPage' | 'extensionOutsideTabs' | 'thisExtension' | 'offscreenDocument'
export type RetryPolicy = { retries: number; retryDelayMs: number }
type Route = { to: Target; from: SenderRule; retry?: RetryPolicy }

/** A service worker restarting (page requests are re-sent with the same id; the record answers). */
const WORKER_RESTART: RetryPolicy = { retries: 20, retryDelayMs: 150 }
/** The UI waits a little less: a person is looking at it. */
const UI_RETRY: RetryPolicy = { retries: 10, retryDelayMs: 100 }
/** An offscreen document (re)starting its rollup Worker. */
const OFFSCREEN_STARTING: RetryPolicy = { retries: 50, retryDelayMs: 100 }
const ui = { to: 'background', from: 'extensionPage', retry: UI_RETRY } as const

export const ROUTES = {
  rpc: { to: 'background', from: 'webPageTab', retry: WORKER_RESTART },
  'ui:state': ui,
  'ui:create': ui,
  'ui:unlock': ui,
  'ui:lock': ui,
  'ui:approval': ui,
  'ui:decide': ui,
  'ui:balances': ui,
  'ui:funding': ui,
  'ui:faucet': ui,
  'ui:sites': ui,
  'ui:disconnect': ui,
  'ui:activity': ui,
  'ui:rollup': ui,
  'ui:replicas': ui,
  'ui:addReplica': ui,
  'ui:removeReplica': ui,
  'ui:enableBatching': ui,
  'ui:policy': ui,
  'ui:setPolicy': ui,
  'ui:grants': ui,
  'ui:revokeGrant': ui,
  'ui:settings': ui,
  'ui:setSettings': ui,
  'ui:pairings': ui,
  'ui:pairStart': ui,
  'ui:pairDecide': ui,
  'ui:pairRevoke': ui,
  'ui:networks': ui,
  'ui:saveNetwork': ui,
  'ui:removeNetwork': ui,
  'ui:switchNetwork': ui,
  'ui:checkNetwork': ui,
  'ui:refreshDevnet': ui,
  'ui:seedStatus': ui,
  'ui:deploySeed': ui,
  'ui:agents': ui,
  'ui:findAgents': ui,
  'ui:bounties': ui,
  // Posting, closing and withdrawing a bounty are L1 sends: never re-sent.
  'ui:postBounty': { to: 'background', from: 'extensionPage' },
  'ui:closeBounty': { to: 'background', from: 'extensionPage' },
  'ui:withdrawBounty': { to: 'background', from: 'extensionPage' },
  'ui:bridge': ui,
  // Bridge steps move value: never re-sent (a lost answer is not proof the step did not run).
  'ui:bridgeDeposit': { to: 'background', from: 'extensionPage' },
  'ui:bridgeWithdraw': { to: 'background', from: 'extensionPage' },
  'ui:bridgeProve': { to: 'background', from: 'extensionPage' },
  'ui:bridgeFinalize': { to: 'background', from: 'extensionPage' },
  'ui:runScript': ui,
  'ui:stopScript': ui,
  'ui:triggersChanged': ui,
  // A script's capability calls and the event triggers' long poll come only from the sandbox host.
  // A capability call is never re-sent: it may move value, and a lost answer is not proof it did not run.
  'script:call': { to: 'background', from: 'offscreenDocument' },
  'script:events': { to: 'background', from: 'offscreenDocument', retry: WORKER_RESTART },
  'script:run': { to: 'offscreen', from: 'extensionOutsideTabs', retry: OFFSCREEN_STARTING },
  'script:stop': { to: 'offscreen', from: 'extensionOutsideTabs', retry: OFFSCREEN_STARTING },
  // The batcher key may come only from this extension's own contexts (the background).
  'rollup:configureBatcher': { to: 'offscreen', from: 'extensionOutsideTabs', retry: OFFSCREEN_STARTING },
  'rollup:request': { to: 'offscreen', from: 'extensionPage', retry: OFFSCREEN_STARTING },
  'rollup:batching': { to: 'offscreen', from: 'extensionPage', retry: OFFSCREEN_STARTING },
  // Pins under the batcher key: only this extension's own contexts (the background) may ask.
  'rollup:publishFile': { to: 'offscreen', from: 'extensionOutsideTabs', retry: OFFSCREEN_STARTING },
  'rollup:deposits': { to: 'offscreen', from: 'extensionPage', retry: OFFSCREEN_STARTING },
  'rollup:outputs': { to: 'offscreen', from: 'extensionPage', retry: OFFSCREEN_STARTING },
  'rollup:ping': { to: 'offscreen', from: 'extensionPage', retry: OFFSCREEN_STARTING },
  'rollup:gossipPeers': { to: 'offscreen', from: 'extensionOutsideTabs', retry: OFFSCREEN_STARTING },
  'rollup:gossip': { to: 'offscreen', from: 'extensionPage', retry: OFFSCREEN_STARTING },
  event: { to: 'content', from: 'thisExtension' },
} as const satisfies { [K in keyof Messages]: Route }

type MessageTo<T extends Target> = keyof ProtocolOf<T> & keyof typeof ROUTES & string
type Envelope = { seed: 1; to: Target; type: string; payload: unknown }
type Reply = { result?: unknown; error?: SerializedError }
export type Handlers<P extends Protocol> = {
  [K in keyof P]: (payload: P[K]['req'], sender: chrome.runtime.MessageSender) => Promise<P[K]['res']> | P[K]['res']
}

const isEnvelope = (m: unknown, to: Target): m is Envelope =>
  typeof m === 'object' && m !== null && (m as Envelope).seed === 1 && (m as Envelope).to === to

/** The web origin a content script's message came from (Chrome sets it; the page cannot). */
export const senderOrigin = (sender: chrome.runtime.MessageSender) =>
  sender.origin ?? (sender.url ? new URL(sender.url).origin : undefined)

const fromThisExtension = (sender: chrome.runtime.MessageSender) => sender.id === chrome.runtime.id
const fromExtensionUrl = (sender: chrome.runtime.MessageSender) =>
  fromThisExtension(sender) && !!sender.url?.startsWith(chrome.runtime.getURL(''))

/** Throws unless `sender` may send a message with this rule. */
export function checkSender(rule: SenderRule, sender: chrome.runtime.MessageSender) {
  switch (rule) {
    case 'webPageTab':
      if (!senderOrigin(sender) || !sender.tab) throw new Error('rpc is for web pages (through the content script)')
      return
    case 'extensionPage':
      if (!fromExtensionUrl(sender)) throw new Error('Only the extension UI may call this')
      return
    case 'extensionOutsideTabs':
      if (!fromExtensionUrl(sender) || sender.tab) throw new Error('Only the Seed extension may configure its batcher')
      return
    case 'thisExtension':
      if (!fromThisExtension(sender)) throw new Error('Only the Seed extension may send this')
      return
    case 'offscreenDocument':
      if (!fromExtensionUrl(sender) || sender.tab || !sender.url?.startsWith(chrome.runtime.getURL('offscreen.html')))
        throw new Error("Only the Seed extension's script host may send this")
      return
  }
}

/** Errors that mean "the service worker went away mid-call": safe to re-send the same request. */
export function isTransientRuntimeError(error: unknown) {
  const message = String((error as Error)?.message ?? error)
  return /message port closed|Receiving end does not exist|message channel closed|No SW/i.test(message)
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Sends a typed runtime message to its route's target and returns the typed answer (errors re-thrown). */
export async function send<K extends keyof Messages & string>(
  type: K,
  payload: Messages[K]['req'],
): Promise<Messages[K]['res']> {
  const route: Route = ROUTES[type]
  const { retries, retryDelayMs } = route.retry ?? { retries: 0, retryDelayMs: 0 }
  for (let attempt = 0; ; attempt++) {
    let reply: Reply | undefined
    try {
      reply = (await chrome.runtime.sendMessage({ seed: 1, to: route.to, type, payload } satisfies Envelope)) as Reply
    } catch (error) {
      if (/Extension context invalidated/i.test(String((error as Error)?.message))) {
        throw new ProviderRpcError(ErrorCode.disconnected, 'The Seed extension was reloaded or removed.')
      }
      if (attempt < retries && isTransientRuntimeError(error)) {
        await pause(retryDelayMs)
        continue
      }
      throw error
    }
    if (reply === undefined) {
      // Nobody answered (e.g. the offscreen document is still starting): retry like a transient error.
      if (attempt < retries) {
        await pause(retryDelayMs)
        continue
      }
      throw new ProviderRpcError(ErrorCode.disconnected, `No ${route.to} answered "${type}".`)
    }
    if (reply.error) throw deserializeError(reply.error)
    return reply.result as Messages[K]['res']
  }
}

/** Serves a target's messages, each after its route's sender check; other targets' messages are left alone. */
export function serve<T extends Target>(target: T, handlers: Handlers<ProtocolOf<T>>) {
  const listener = (message: unknown, sender: chrome.runtime.MessageSender, sendResponse: (r: Reply) => void) => {
    if (!isEnvelope(message, target)) return false
    const type = message.type as MessageTo<T>
    const handler = (handlers as Record<string, Handlers<Protocol>[string]>)[type]
    const route: Route | undefined = Object.hasOwn(ROUTES, type) ? ROUTES[type] : undefined
    if (!handler || route?.to !== target) return false
    Promise.resolve()
      .then(() => {
        checkSender(route.from, sender)
        return handler(message.payload as never, sender)
      })
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
export async function sendToTab<K extends MessageTo<'content'>>(
  tabId: number,
  type: K,
  payload: ContentProtocol[K]['req'],
) {
  try {
    await chrome.tabs.sendMessage(tabId, { seed: 1, to: ROUTES[type].to, type, payload } satisfies Envelope)
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

function windowPost(message: Distribute<WindowMessage>) {
  window.postMessage({ channel: WINDOW_CHANNEL, ...message }, window.location.origin)
}

/** The only sender check this hop can have: the same window, the same origin, our channel. */
function onWindowMessage<To extends WindowMessage['to']>(
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

const pageRequests = new Map<string, { resolve: (result: unknown) => void; reject: (error: unknown) => void }>()
let pageListening = false

/**
 * inpage → content: one EIP-1193 request, answered by the content script's `serveWindowRequests`.
 * Its id is the one the background keys the request by, so a re-send after a restart is the same request.
 */
export function sendWindowRequest(method: string, params?: unknown): Promise<unknown> {
  if (!pageListening) {
    pageListening = true
    onWindowMessage('inpage', (message) => {
      if (message.kind !== 'response') return
      const pending = pageRequests.get(message.id)
      if (!pending) return
      pageRequests.delete(message.id)
      if (message.error) pending.reject(deserializeError(message.error))
      else pending.resolve(message.result)
    })
  }
  const id = crypto.randomUUID()
  return new Promise((resolve, reject) => {
    pageRequests.set(id, { resolve, reject })
    windowPost({ to: 'content', kind: 'request', id, method, params })
  })
}

/** inpage: the wallet's events as the content script relays them. */
export function onWindowEvent(listener: (event: string, data: unknown) => void) {
  return onWindowMessage('inpage', (message) => {
    if (message.kind === 'event') listener(message.event, message.data)
  })
}

/**
 * content: answers each page request with `handler`'s result or error; `afterError` runs once the
 * error answer is posted (the page sees the answer first, then any event it causes).
 */
export function serveWindowRequests(
  handler: (request: { id: string; method: string; params?: unknown }) => Promise<unknown>,
  afterError?: (error: unknown) => void,
) {
  return onWindowMessage('content', async ({ id, method, params }) => {
    try {
      windowPost({ to: 'inpage', kind: 'response', id, result: await handler({ id, method, params }) })
    } catch (error) {
      windowPost({ to: 'inpage', kind: 'response', id, error: serializeError(error) })
      afterError?.(error)
    }
  })
}

/** content → page: an EIP-1193 event. */
export function emitToPage(event: string, data: unknown) {
  windowPost({ to: 'inpage', kind: 'event', event, data })
}
