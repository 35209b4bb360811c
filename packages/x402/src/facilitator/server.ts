/**
 * The facilitator's HTTP API (x402 v2): `POST /verify`, `POST /settle`, `GET /supported`, plus `GET /health`
 * and the operator's `POST /claim` (bearer token). Invalid payments answer 200 with `isValid: false` /
 * `success: false` and the scheme's error reason, as the reference facilitator does; only malformed requests
 * get a 400. Sellers call it server to server, so it sends no CORS headers: a web page cannot drive it.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { x402Facilitator } from '@x402/core/facilitator'
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types'

export type FacilitatorServer = { server: Server; url: string; close(): Promise<void> }

/** Largest request body accepted: a payload with a 6492-wrapped signature is a few KB. */
const MAX_BODY_BYTES = 256 * 1024

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

type PaymentRequest = { paymentPayload: PaymentPayload; paymentRequirements: PaymentRequirements }

function asPaymentRequest(body: unknown): PaymentRequest {
  const b = body as Partial<PaymentRequest> | null
  if (!b || typeof b.paymentPayload !== 'object' || typeof b.paymentRequirements !== 'object') {
    throw new Error('body must be {x402Version, paymentPayload, paymentRequirements}')
  }
  return b as PaymentRequest
}

/** Operator endpoints: served only with a token, and only to a request that presents it. */
export type FacilitatorAdmin = {
  /** Claims accepted channel vouchers now (they are otherwise claimed on an interval and on close requests). */
  claim: () => Promise<string[]>
  /** `Authorization: Bearer <token>`; at least 16 characters. */
  token: string
}

const MIN_TOKEN_LENGTH = 16

function bearerMatches(req: IncomingMessage, token: string): boolean {
  const presented = Buffer.from(req.headers.authorization?.match(/^Bearer (.+)$/)?.[1] ?? '')
  const expected = Buffer.from(token)
  return presented.length === expected.length && timingSafeEqual(presented, expected)
}

export function handleFacilitatorRequest(facilitator: x402Facilitator, admin?: FacilitatorAdmin) {
  if (admin && admin.token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`the facilitator's admin token must have at least ${MIN_TOKEN_LENGTH} characters`)
  }
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    try {
      if (req.method === 'GET' && path === '/health') return send(res, 200, { ok: true })
      if (req.method === 'GET' && path === '/supported') return send(res, 200, facilitator.getSupported())
      if (req.method === 'POST' && path === '/claim' && admin) {
        // Each claim is an L1 transaction paid by the facilitator: never on a stranger's request.
        if (!bearerMatches(req, admin.token)) return send(res, 401, { error: 'POST /claim needs the admin token' })
        return send(res, 200, { transactions: await admin.claim() })
      }
      if (req.method === 'POST' && (path === '/verify' || path === '/settle')) {
        let request: PaymentRequest
        try {
          request = asPaymentRequest(await readJson(req))
        } catch (error) {
          return send(res, 400, { error: (error as Error).message })
        }
        const result =
          path === '/verify'
            ? await facilitator.verify(request.paymentPayload, request.paymentRequirements)
            : await facilitator.settle(request.paymentPayload, request.paymentRequirements)
        return send(res, 200, result)
      }
      send(res, 404, { error: `no route ${req.method} ${path}` })
    } catch (error) {
      send(res, 500, { error: (error as Error).message })
    }
  }
}

export async function startFacilitatorServer(
  facilitator: x402Facilitator,
  options: { port?: number; host?: string; admin?: FacilitatorAdmin } = {},
): Promise<FacilitatorServer> {
  const server = createServer(handleFacilitatorRequest(facilitator, options.admin))
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {
    server,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
