/**
 * The seller's kit: an Express app that sells one HTTP service for a price through x402 (v2 headers),
 * verified and settled by a facilitator. An agent or a human calls `sellService({ price, network, payTo,
 * handler })` and gets a URL; unpaid requests get a 402 with the `PAYMENT-REQUIRED` challenge.
 */
import type { Server } from 'node:http'
import type { Network } from '@x402/core/types'
import { ExactEvmScheme } from '@x402/evm/exact/server'
import { paymentMiddleware, x402ResourceServer } from '@x402/express'
import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import type { Address } from 'viem'
import { ChannelServerScheme } from '../channel/server.ts'
import { SeedX402Error } from '../errors.ts'
import { SellerFacilitatorClient } from './sellerFacilitatorClient.ts'

export type ServicePrice = { asset: Address; amount: string; extra?: Record<string, unknown> }

export type SellServiceParameters = {
  /** Per request, in the asset's base units; for Seed USD use `usdPrice(asset, amount)`. */
  price: ServicePrice
  /** CAIP-2, e.g. `eip155:31337`. */
  network: Network
  payTo: Address
  /** Runs only after the payment verified; its response carries `PAYMENT-RESPONSE` once settled. */
  handler: (req: Request, res: Response) => unknown | Promise<unknown>
  facilitatorUrl: string
  /** Route; default `POST /`. Use `*` paths (Express 5 syntax `/{*rest}`) to sell a whole prefix. */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path?: string
  description?: string
  mimeType?: string
  maxTimeoutSeconds?: number
  /** `exact` (EIP-3009, one transfer per request) and/or `channel` (vouchers on a payment channel). */
  schemes?: readonly ('exact' | 'channel')[]
  /**
   * When an `exact` payment settles (x402 payment flows): `authorization` (default) verifies before the
   * handler and settles after it, so a failed handler costs the payer nothing; `upfront` settles before the
   * handler, one facilitator round trip instead of two, for chains where settling takes milliseconds (the
   * light rollup's soft confirmation). `channel` vouchers always take one round trip.
   */
  paymentFlow?: 'authorization' | 'upfront'
  port?: number
  host?: string
}

export type SoldService = { app: Express; server: Server; url: string; close(): Promise<void> }

/** Lets browser clients read the challenge and receipt and send the payment header. */
export function x402Cors(req: Request, res: Response, next: NextFunction) {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*')
  res.setHeader('Vary', 'Origin')
  res.setHeader('Access-Control-Expose-Headers', 'PAYMENT-REQUIRED, PAYMENT-RESPONSE')
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS')
    res.setHeader(
      'Access-Control-Allow-Headers',
      'content-type, PAYMENT-SIGNATURE, Access-Control-Expose-Headers, Idempotency-Key',
    )
    res.status(204).end()
    return
  }
  next()
}

export function createServiceApp(parameters: SellServiceParameters): Express {
  const method = parameters.method ?? 'POST'
  const path = parameters.path ?? '/'
  const resourceServer = new x402ResourceServer(new SellerFacilitatorClient({ url: parameters.facilitatorUrl }))
  const schemes = parameters.schemes ?? ['exact']
  if (schemes.includes('exact')) resourceServer.register(parameters.network, new ExactEvmScheme())
  if (schemes.includes('channel')) resourceServer.register(parameters.network, new ChannelServerScheme())
  const app = express()
  app.use(x402Cors)
  app.use(express.json({ limit: '1mb' }))
  app.use(express.raw({ type: 'application/octet-stream', limit: '2mb' }))
  app.use(
    paymentMiddleware(
      {
        [`${method} ${path}`]: {
          accepts: schemes.map((scheme) => ({
            scheme,
            network: parameters.network,
            payTo: parameters.payTo,
            price:
              scheme === 'exact' && parameters.paymentFlow === 'upfront'
                ? { ...parameters.price, extra: { ...parameters.price.extra, paymentFlow: 'upfront' } }
                : parameters.price,
            maxTimeoutSeconds: parameters.maxTimeoutSeconds ?? 60,
          })),
          description: parameters.description,
          mimeType: parameters.mimeType ?? 'application/json',
        },
      },
      resourceServer,
    ),
  )
  const route = async (req: Request, res: Response, next: NextFunction) => {
    try {
      await parameters.handler(req, res)
    } catch (error) {
      next(error)
    }
  }
  app[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path, route)
  return app
}

export async function sellService(parameters: SellServiceParameters): Promise<SoldService> {
  const app = createServiceApp(parameters)
  const host = parameters.host ?? '127.0.0.1'
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(parameters.port ?? 0, host, (error?: Error) => (error ? reject(error) : resolve(s)))
  })
  const address = server.address()
  if (!address || typeof address !== 'object') throw new SeedX402Error('sellService: server has no address')
  return {
    app,
    server,
    url: `http://${host}:${address.port}${(parameters.path ?? '/').replace(/\{?\*.*$/, '')}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
