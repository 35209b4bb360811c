/**
 * The operator's HTTP face for one bounty slot (decision 0802):
 * - `POST /probe` → the kind's signed answer (probeAnswerer.ts): a replica's head, hash and state root at a
 *   block; a verifier's derived output roots for a window of batches; a pinner's bytes of a batch;
 * - `POST /voucher` `{bountyId, agentId, cumulativeAmount, signature}` → the poster's epoch voucher, checked
 *   and stored (acceptVoucher.ts);
 * - `GET /status` → the slot, the kind's progress and the best voucher held.
 * Refusals are JSON `{error: {message, details}}` with a 4xx status; bodies above 4 KiB are refused unread.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SignedEpochVoucher } from '@seed/contracts'
import { type Address, type Chain, type Client, isHex, type Transport } from 'viem'
import type { PrivateKeyAccount } from 'viem/accounts'
import { acceptVoucher } from './acceptVoucher.ts'
import { OperatorError } from './errors.ts'
import { type ProbeAnswerer, type ReplicaReader, replicaProbeAnswerer } from './probeAnswerer.ts'
import { toWireJson } from './replicaAnswer.ts'
import type { VoucherStore } from './voucherStore.ts'

const MAX_BODY_BYTES = 4096

export type { ReplicaReader } from './probeAnswerer.ts'

export type OperatorServerOptions = {
  l1: Client<Transport, Chain>
  escrow: Address
  bountyId: bigint
  agentId: bigint
  /** The key that joined the bounty: it signs every answer. */
  key: PrivateKeyAccount
  /** The rollup chain's id (the answers' EIP-712 domain). */
  chainId: bigint
  /** How probes are answered (the bounty's kind); `read` alone answers as a replica. */
  probe?: ProbeAnswerer
  read?: ReplicaReader
  /** The kind's progress for `GET /status` (a replica's head, batches pinned, outputs derived). */
  progress?: () => Promise<Record<string, unknown>>
  vouchers: VoucherStore
  port?: number
  host?: string
  /** Called with each voucher accepted that adds to the total (the run loop settles from it). */
  onVoucher?: (voucher: SignedEpochVoucher) => void
}

export type OperatorServer = { url: string; close(): Promise<void> }

export async function startOperatorServer(o: OperatorServerOptions): Promise<OperatorServer> {
  const ours = (bountyId: bigint, agentId: bigint) => bountyId === o.bountyId && agentId === o.agentId
  const signer = { key: o.key, chainId: o.chainId, escrow: o.escrow }
  const probe = o.probe ?? (o.read && replicaProbeAnswerer(signer, o.read))
  if (!probe) throw new OperatorError('the server needs a probe answerer (or a replica reader)')
  const progress = o.progress ?? (async () => ({ head: (await o.read?.(0n))?.head }))
  const routes: Record<string, (body: unknown) => Promise<unknown>> = {
    'POST /probe': async (body) => {
      const request = probe.parse(body)
      if (!request) throw new OperatorError(probe.malformed)
      if (!ours(request.bountyId, request.agentId)) throw new OperatorError('not this operator’s slot', { status: 404 })
      return probe.answer(request)
    },
    'POST /voucher': async (body) => {
      const v = parseVoucher(body)
      if (!v) throw new OperatorError('malformed voucher: bountyId, agentId, cumulativeAmount and a signature')
      if (!ours(v.bountyId, v.agentId)) throw new OperatorError('not this operator’s slot', { status: 404 })
      const accepted = await acceptVoucher(o.l1, { escrow: o.escrow, voucher: v, vouchers: o.vouchers })
      if (accepted.added > 0n) o.onVoucher?.(v)
      return accepted
    },
    'GET /status': async () => ({
      bountyId: o.bountyId,
      agentId: o.agentId,
      operator: o.key.address,
      ...(await progress()),
      voucher: o.vouchers.latest(o.bountyId, o.agentId)?.cumulativeAmount ?? 0n,
    }),
  }
  const server = createServer((req, res) => {
    const route = routes[`${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`]
    if (!route) return reply(res, 404, { error: { message: 'no such route' } })
    readJson(req)
      .then(route)
      .then(
        (result) => reply(res, 200, result),
        (e: Error) => {
          const status = e instanceof OperatorError ? e.status : 500
          const message = e instanceof OperatorError ? e.shortMessage : 'internal error'
          reply(res, status, { error: { message, details: e instanceof OperatorError ? e.details : undefined } })
        },
      )
  })
  server.requestTimeout = 10_000
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(toWireJson(body))
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (req.method === 'GET') return undefined
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new OperatorError(`body above ${MAX_BODY_BYTES} bytes`, { status: 413 })
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new OperatorError('body is not JSON')
  }
}

function parseVoucher(json: unknown): SignedEpochVoucher | undefined {
  if (!json || typeof json !== 'object') return undefined
  const o = json as Record<string, unknown>
  const ids = [o.bountyId, o.agentId, o.cumulativeAmount]
  if (!ids.every((v) => typeof v === 'string' && /^[0-9]{1,78}$/.test(v))) return undefined
  if (!isHex(o.signature) || o.signature.length > 2 + 2 * 1024) return undefined
  return {
    bountyId: BigInt(o.bountyId as string),
    agentId: BigInt(o.agentId as string),
    cumulativeAmount: BigInt(o.cumulativeAmount as string),
    signature: o.signature,
  }
}
