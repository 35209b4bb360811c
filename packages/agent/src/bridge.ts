/**
 * The agent bridge (decision 0600): a WebSocket server on 127.0.0.1 that the Seed extension connects
 * out to. Only a `chrome-extension://` origin is accepted (a web page's WebSocket carries its own
 * origin, which the page cannot change), and once paired only the extension it paired with. For an
 * unpaired agent the bridge answers the extension's nonce with a signed offer and shows a random
 * pairing code, and pairs only the connection that sends that code back (the person typed it into
 * the popup: any local process can claim an extension origin); for a paired one it signs the nonce
 * to prove it is that agent. Calls then go out as frames and
 * come back as results or EIP-1193 errors.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { type WebSocket, WebSocketServer } from 'ws'
import {
  authMessage,
  type BridgeFrame,
  DEFAULT_BRIDGE_PORT,
  type ExtensionFrame,
  MAX_FRAME_BYTES,
  newPairingCode,
  normalizeCode,
  pairMessage,
} from './bridge-protocol.ts'
import { SeedAgentError } from './errors.ts'
import type { Identity } from './identity.ts'

const PING_MS = 20_000
const CALL_TIMEOUT_MS = 10 * 60_000
/** Wrong pairing codes before the bridge stops offering (a guesser gets 3 in a million). */
const MAX_WRONG_CODES = 3

export type BridgeEvents = {
  /** An offer went out: show this code; the person compares it with the popup's. */
  onCode?: (code: string) => void
  onPaired?: (identity: Identity) => void
  onRefused?: (reason: string) => void
  onConnection?: (connected: boolean) => void
}

export type BridgeParameters = BridgeEvents & {
  identity: Identity
  /** Persists the identity once paired (the pairing id and the extension's origin). */
  save?: (identity: Identity) => void
  port?: number
  host?: string
}

export type Bridge = Awaited<ReturnType<typeof startBridge>>

const isExtensionOrigin = (origin: string | undefined): origin is string =>
  !!origin && /^chrome-extension:\/\/[a-p]{32}$/.test(origin)

export async function startBridge(parameters: BridgeParameters) {
  const { identity } = parameters
  const account = privateKeyToAccount(identity.privateKey)
  const http = createServer((_req, res) => res.writeHead(426).end('seed-agent bridge: WebSocket only\n'))
  const wss = new WebSocketServer({
    server: http,
    maxPayload: MAX_FRAME_BYTES,
    // Refused before the upgrade: web pages, other extensions after pairing.
    verifyClient: ({ req }: { req: IncomingMessage }) => {
      const origin = req.headers.origin
      if (!isExtensionOrigin(origin)) return false
      return !identity.extensionOrigin || identity.extensionOrigin === origin
    },
  })
  let active: WebSocket | undefined
  /** Set when the wallet revoked this pairing: every call is refused at once from then on. */
  let revoked: string | undefined
  let wrongCodes = 0
  const waiting = new Set<() => void>()
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  let nextId = 0

  const send = (socket: WebSocket, frame: BridgeFrame) => socket.send(JSON.stringify(frame))

  wss.on('connection', (socket, req) => {
    const origin = req.headers.origin as string
    let authenticated = false
    /** Unpaired: the code this connection's offer showed, and whether the person typed it into the wallet. */
    let code: string | undefined
    let codeConfirmed = false
    const ping = setInterval(() => authenticated && send(socket, { type: 'ping' }), PING_MS)
    socket.on('message', async (data) => {
      let frame: ExtensionFrame
      try {
        frame = JSON.parse(String(data)) as ExtensionFrame
      } catch {
        return socket.close(1003, 'bad frame')
      }
      switch (frame.type) {
        case 'hello': {
          if (typeof frame.nonce !== 'string' || !/^0x[0-9a-f]{64}$/i.test(frame.nonce)) return socket.close(1008)
          const nonce = frame.nonce as Hex
          if (identity.pairingId) {
            const signature = await account.signMessage({ message: authMessage(nonce) })
            return send(socket, { type: 'auth', pairingId: identity.pairingId, signature })
          }
          if (wrongCodes >= MAX_WRONG_CODES) {
            send(socket, { type: 'refused', reason: 'Too many wrong pairing codes: restart `seed-agent pair`' })
            return socket.close(1008)
          }
          const signature = await account.signMessage({ message: pairMessage(nonce) })
          code = newPairingCode()
          send(socket, { type: 'pair', name: identity.name, agentAddress: account.address, signature })
          return parameters.onCode?.(code)
        }
        case 'code': {
          if (!code || codeConfirmed) return socket.close(1008)
          if (normalizeCode(frame.code) === normalizeCode(code)) {
            codeConfirmed = true
            return send(socket, { type: 'codeOk' })
          }
          wrongCodes++
          code = undefined
          send(socket, { type: 'refused', reason: 'Wrong pairing code: pair again with the code seed-agent shows' })
          return socket.close(1008)
        }
        case 'paired': {
          if (identity.pairingId && identity.pairingId !== frame.pairingId) return socket.close(1008)
          // A first pairing only on the connection the person typed the code into: an Origin header proves nothing.
          if (!identity.pairingId && !codeConfirmed) return socket.close(1008)
          if (!identity.pairingId) {
            identity.pairingId = frame.pairingId
            identity.extensionOrigin = origin
            parameters.save?.(identity)
            parameters.onPaired?.(identity)
          }
          authenticated = true
          active?.close(1000, 'replaced')
          active = socket
          parameters.onConnection?.(true)
          for (const wake of waiting) wake()
          waiting.clear()
          return
        }
        case 'refused':
          if (authenticated && frame.reason.startsWith('revoked')) revoked = frame.reason
          parameters.onRefused?.(frame.reason)
          return socket.close()
        case 'result':
        case 'error': {
          if (!authenticated) return
          const call = pending.get(frame.id)
          if (!call) return
          pending.delete(frame.id)
          if (frame.type === 'result') call.resolve(frame.result)
          else call.reject(new SeedAgentError(frame.error))
          return
        }
      }
    })
    socket.on('close', () => {
      clearInterval(ping)
      if (active !== socket) return
      active = undefined
      parameters.onConnection?.(false)
      for (const [id, call] of pending) {
        call.reject(
          revoked
            ? new SeedAgentError({
                code: 4100,
                message: revoked,
                data: { reasons: [{ code: 'revoked', message: revoked }] },
              })
            : new SeedAgentError({ code: 4900, message: 'The wallet disconnected during the call' }),
        )
        pending.delete(id)
      }
    })
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(parameters.port ?? DEFAULT_BRIDGE_PORT, parameters.host ?? '127.0.0.1', resolve)
  })
  const { port } = http.address() as AddressInfo

  /** Resolves once the paired extension is connected (the popup pairs it, or the extension reconnects). */
  function connected(timeoutMs = 90_000): Promise<void> {
    if (active) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(wake)
        reject(
          new SeedAgentError({
            code: 4900,
            message: identity.pairingId
              ? 'The Seed wallet has not connected: is the browser running with the extension? (it reconnects within a minute)'
              : `Not paired yet: in the Seed popup, Agents → Pair an agent → ws://127.0.0.1:${port}`,
          }),
        )
      }, timeoutMs)
      const wake = () => {
        clearTimeout(timer)
        resolve()
      }
      waiting.add(wake)
    })
  }

  /** One capability call; rejects with SeedAgentError carrying the wallet's code and reasons. */
  async function invoke(method: string, params?: unknown, { connectTimeoutMs = 90_000 } = {}): Promise<unknown> {
    if (revoked)
      throw new SeedAgentError({
        code: 4100,
        message: revoked,
        data: { reasons: [{ code: 'revoked', message: revoked }] },
      })
    await connected(connectTimeoutMs)
    const socket = active!
    const id = String(++nextId)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new SeedAgentError({ code: -32603, message: `${method}: no answer from the wallet` }))
      }, CALL_TIMEOUT_MS)
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer)
          resolve(v)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      })
      send(socket, { type: 'call', id, method, params })
    })
  }

  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    identity,
    invoke,
    connected,
    isConnected: () => !!active,
    async close() {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}
