/** HTTP + WebSocket JSON-RPC on one port (127.0.0.1 by default). */
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { MAX_REQUEST_BODY } from '../chain/spec.ts'
import type { RequestAuth, RpcHandler, RpcSession } from '../rpc/handler.ts'

export type RpcServer = { url: string; wsUrl: string; port: number; server: Server; close(): Promise<void> }

export type RpcServerOptions = {
  port?: number
  host?: string
  /**
   * Origins a browser page may call from (default ['*']: a public read RPC, as dApps need).
   * Never opens admin methods to pages: the admin token travels in an `authorization` header,
   * which the CORS preflight does not allow, and a body must be `application/json`.
   */
  corsOrigins?: string[]
  /** `authorization: Bearer <token>` opens admin methods (rollup_sealBlock) to a caller. */
  adminToken?: string
  /** A WebSocket client whose unsent data stays above this many bytes is dropped (default 4 MiB). */
  maxWsBufferedBytes?: number
  /** Requests one WebSocket connection runs at once (default 64); more wait, and the socket stops reading. */
  maxWsInFlight?: number
  /**
   * Open connections (HTTP and WebSocket) at once (default 1,024): with the per-connection caps this
   * bounds the memory all clients together can hold. Past it a new connection is closed at once.
   */
  maxConnections?: number
}

/** Clients (viem, ethers, undici) keep idle sockets up to 60 s: never close one under them. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000
const DEFAULT_MAX_WS_BUFFERED = 4 * 1024 * 1024
const DEFAULT_MAX_WS_IN_FLIGHT = 64
const DEFAULT_MAX_CONNECTIONS = 1_024

const digest = (s: string) => createHash('sha256').update(s).digest()

/** Whether the request carries the admin token (compared in constant time). */
function authOf(req: IncomingMessage, adminToken: string | undefined): RequestAuth {
  const header = req.headers.authorization
  if (!adminToken || typeof header !== 'string' || !header.startsWith('Bearer ')) return {}
  return { admin: timingSafeEqual(digest(header.slice(7)), digest(adminToken)) }
}

const isJson = (req: IncomingMessage) =>
  (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json'

const errorBody = (code: number, message: string) =>
  JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } })

const tooLarge = JSON.stringify({
  jsonrpc: '2.0',
  id: null,
  error: { code: -32005, message: `request too large: at most ${MAX_REQUEST_BODY} bytes` },
})

/** Reads the body; past the limit the rest is drained and dropped (undefined = too large). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_REQUEST_BODY * 16)
        req.destroy() // a flood, not a request
      else if (size <= MAX_REQUEST_BODY) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_REQUEST_BODY ? undefined : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function startRpcServer(rpc: RpcHandler, options: RpcServerOptions = {}): Promise<RpcServer> {
  const host = options.host ?? '127.0.0.1'
  const corsOrigins = options.corsOrigins ?? ['*']
  const maxBuffered = options.maxWsBufferedBytes ?? DEFAULT_MAX_WS_BUFFERED
  const maxInFlight = options.maxWsInFlight ?? DEFAULT_MAX_WS_IN_FLIGHT
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin
    if (origin !== undefined && (corsOrigins.includes('*') || corsOrigins.includes(origin))) {
      res.setHeader('access-control-allow-origin', corsOrigins.includes('*') ? '*' : origin)
      res.setHeader('access-control-allow-headers', 'content-type')
      res.setHeader('vary', 'origin')
    }
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/')) {
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    }
    if (req.method !== 'POST') return void res.writeHead(405).end()
    // A page's form or text/plain POST needs no preflight: from a browser (which always sends
    // Origin on a cross-site POST) only application/json is taken. Scripts and tools without an
    // Origin may post with any content type (geth is stricter; curl and fetch default otherwise).
    if (origin !== undefined && !isJson(req)) {
      req.resume()
      return void res
        .writeHead(415, { 'content-type': 'application/json' })
        .end(errorBody(-32600, 'invalid request: content-type must be application/json'))
    }
    try {
      const body = await readBody(req)
      if (body === undefined) return void res.writeHead(413, { 'content-type': 'application/json' }).end(tooLarge)
      const out = await rpc.handleText(body, undefined, authOf(req, options.adminToken))
      res.writeHead(200, { 'content-type': 'application/json' }).end(out)
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(String(error))
    }
  })
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000
  const wss = new WebSocketServer({ server, maxPayload: MAX_REQUEST_BODY })
  wss.on('connection', (socket, upgrade) => {
    const auth = authOf(upgrade, options.adminToken)
    // A client that stopped reading would make the node buffer every notification for it.
    const writable = () => {
      if (socket.readyState !== socket.OPEN) return false
      if (socket.bufferedAmount <= maxBuffered) return true
      socket.terminate()
      rpc.closeSession(session)
      return false
    }
    const send = (text: string) => {
      if (writable()) socket.send(text)
    }
    const session: RpcSession = { notify: (message) => writable() && socket.send(JSON.stringify(message)) }
    // Requests of one connection run up to `maxInFlight` at a time; the rest wait in order while
    // the socket stops reading (TCP backpressure on the client), so a flood costs bounded memory.
    let inFlight = 0
    const waiting: string[] = []
    const run = async (text: string) => {
      inFlight++
      try {
        const out = await rpc.handleText(text, session, auth)
        if (out) send(out)
      } finally {
        inFlight--
        const next = waiting.shift()
        if (next !== undefined) void run(next)
        else if (socket.isPaused) socket.resume()
      }
    }
    socket.on('message', (data) => {
      const text = data.toString()
      if (inFlight < maxInFlight) return void run(text)
      waiting.push(text)
      if (!socket.isPaused) socket.pause()
    })
    socket.on('close', () => rpc.closeSession(session))
    socket.on('error', () => rpc.closeSession(session))
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}`,
    port,
    server,
    async close() {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
