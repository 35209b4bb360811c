/** HTTP + WebSocket JSON-RPC on one port (127.0.0.1 by default). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { MAX_REQUEST_BODY } from '../chain/spec.ts'
import type { RpcHandler, RpcSession } from '../rpc/handler.ts'

export type RpcServer = { url: string; wsUrl: string; port: number; server: Server; close(): Promise<void> }

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

export async function startRpcServer(
  rpc: RpcHandler,
  options: { port?: number; host?: string } = {},
): Promise<RpcServer> {
  const host = options.host ?? '127.0.0.1'
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('access-control-allow-origin', '*')
    res.setHeader('access-control-allow-headers', 'content-type')
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/')) {
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    }
    if (req.method !== 'POST') return void res.writeHead(405).end()
    try {
      const body = await readBody(req)
      if (body === undefined) return void res.writeHead(413, { 'content-type': 'application/json' }).end(tooLarge)
      const out = await rpc.handleText(body)
      res.writeHead(200, { 'content-type': 'application/json' }).end(out)
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(String(error))
    }
  })
  const wss = new WebSocketServer({ server, maxPayload: MAX_REQUEST_BODY })
  wss.on('connection', (socket) => {
    const session: RpcSession = {
      notify(message) {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
      },
    }
    socket.on('message', async (data) => {
      const out = await rpc.handleText(data.toString(), session)
      if (out && socket.readyState === socket.OPEN) socket.send(out)
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
