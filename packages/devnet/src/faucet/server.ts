/**
 * The devnet faucet's HTTP API. `POST /drip {"address", "amountEth"?}` sends L1 ETH (and Seed USD)
 * from a key only this process holds; `GET /info` says what a drip gives; `GET /health`.
 *
 * A page on the open web must not be able to drain it (decision 0432): a browser stamps every
 * page's POST with its `Origin`, so a request carrying a web origin is refused; only the wallet
 * (a `chrome-extension://` origin, reaching 127.0.0.1 through its host permission) and local tools
 * (no Origin) get through. No CORS header is ever sent, so a page cannot read an answer either, and
 * JSON is required, which a page can send cross-origin only after a preflight that fails.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  erc20Abi,
  formatEther,
  formatUnits,
  type Hex,
  http,
  isAddress,
  parseEther,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createRateLimiter, DEFAULT_LIMITS, type FaucetLimits } from './limits.ts'

export type FaucetConfig = {
  l1: { chainId: number; rpcUrl: string }
  /** ETH a drip sends unless the request asks for less (decimal ETH). */
  dripEth?: string
  /** The most one request may ask for (decimal ETH). */
  maxEth?: string
  /** Seed USD a drip also sends (token and amount in base units), if the faucet holds some. */
  usd?: { token: Address; amount: string }
  limits?: FaucetLimits
}

/** The largest request body read: an address and an amount fit in far less. */
const MAX_BODY_BYTES = 1024

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

/** Web pages (and anything else with a non-extension origin) may not ask for a drip. */
function refuseWebOrigins(req: IncomingMessage) {
  const origin = req.headers.origin
  if (origin !== undefined && !origin.startsWith('chrome-extension://')) {
    throw new HttpError(403, `Requests from web pages are refused (origin ${origin}): use the Seed wallet.`)
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type))
    throw new HttpError(415, 'Send a JSON body (content-type: application/json).')
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `The body may hold at most ${MAX_BODY_BYTES} bytes.`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `The body may hold at most ${MAX_BODY_BYTES} bytes.`)
    chunks.push(chunk)
  }
  let body: unknown
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpError(400, 'The body is not valid JSON.')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'The body must be a JSON object: {"address": "0x…"}.')
  }
  return body as Record<string, unknown>
}

function parseAmount(value: unknown, dripWei: bigint, maxWei: bigint, maxEth: string): bigint {
  if (value === undefined) return dripWei
  if (typeof value !== 'string' || !/^\d{1,6}(\.\d{1,18})?$/.test(value)) {
    throw new HttpError(400, 'amountEth must be a decimal string of ETH, e.g. "0.5".')
  }
  const wei = parseEther(value)
  if (wei === 0n) throw new HttpError(400, 'amountEth must be more than 0.')
  if (wei > maxWei) throw new HttpError(400, `At most ${maxEth} ETH per request.`)
  return wei
}

export function createFaucetServer(privateKey: Hex, config: FaucetConfig): Server {
  const account = privateKeyToAccount(privateKey)
  const transport = http(config.l1.rpcUrl)
  const chain = {
    id: config.l1.chainId,
    name: 'Seed devnet L1',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.l1.rpcUrl] } },
  }
  const l1 = createPublicClient({ chain, transport, pollingInterval: 100 })
  const wallet = createWalletClient({ chain, transport, account })
  const dripEth = config.dripEth ?? '1'
  const maxEth = config.maxEth ?? '2'
  const dripWei = parseEther(dripEth)
  const maxWei = parseEther(maxEth)
  const limits = config.limits ?? DEFAULT_LIMITS
  const limiter = createRateLimiter(limits)
  // One drip at a time: each send takes the next nonce of the one key.
  let queue: Promise<unknown> = Promise.resolve()
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task)
    queue = run.catch(() => {})
    return run
  }

  async function send(to: Address, wei: bigint) {
    const eth = await wallet.sendTransaction({ to, value: wei })
    const ethReceipt = await l1.waitForTransactionReceipt({ hash: eth })
    if (ethReceipt.status !== 'success') throw new Error(`the ETH transfer ${eth} reverted`)
    // Seed USD is a bonus: the ETH is sent (and the slot used) whether or not it follows.
    const usd = await sendUsd(to).catch(() => undefined)
    return { ethTxHash: eth, usdTxHash: usd }
  }

  async function sendUsd(to: Address): Promise<Hex | undefined> {
    if (!config.usd) return undefined
    const amount = BigInt(config.usd.amount)
    const balance = await l1.readContract({
      address: config.usd.token,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [account.address],
    })
    if (balance < amount) return undefined
    const hash = await wallet.writeContract({
      address: config.usd.token,
      abi: erc20Abi,
      functionName: 'transfer',
      args: [to, amount],
    })
    const receipt = await l1.waitForTransactionReceipt({ hash })
    return receipt.status === 'success' ? hash : undefined
  }

  async function drip(req: IncomingMessage) {
    refuseWebOrigins(req)
    const body = await readJson(req)
    const address = body.address
    if (typeof address !== 'string' || !isAddress(address, { strict: true })) {
      throw new HttpError(400, 'address must be a 0x-prefixed 20-byte hex address (checksummed if mixed-case).')
    }
    const wei = parseAmount(body.amountEth, dripWei, maxWei, maxEth)
    const slot = limiter.take(address.toLowerCase())
    if (!slot.ok) {
      const seconds = Math.ceil(slot.retryAfterMs / 1000)
      const message =
        slot.scope === 'address'
          ? `This address was funded a moment ago: at most ${limits.perAddress.max} drip(s) per address every ${limits.perAddress.windowMs / 1000} s. Try again in ${seconds} s.`
          : `The faucet is busy: at most ${limits.global.max} drips every ${limits.global.windowMs / 1000} s. Try again in ${seconds} s.`
      throw new HttpError(429, message, { retryAfterSeconds: seconds })
    }
    try {
      const sent = await serialized(() => send(address as Address, wei))
      return {
        address,
        amountEth: formatEther(wei),
        ...(sent.usdTxHash && config.usd ? { amountUsd: formatUnits(BigInt(config.usd.amount), 6) } : {}),
        ...sent,
      }
    } catch (error) {
      slot.release()
      throw new HttpError(
        502,
        `The faucet could not send: ${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}`,
      )
    }
  }

  const info = () => ({
    chainId: config.l1.chainId,
    address: account.address,
    dripEth,
    maxEth,
    ...(config.usd ? { usd: { token: config.usd.token, amount: formatUnits(BigInt(config.usd.amount), 6) } } : {}),
    limits,
  })

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
  }

  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://faucet').pathname
    const handle = async () => {
      if (path === '/health' && req.method === 'GET') return reply(res, 200, { ok: true })
      if (path === '/info' && req.method === 'GET') return reply(res, 200, info())
      if (path === '/drip' && req.method === 'POST') return reply(res, 200, await drip(req))
      if (path === '/drip') throw new HttpError(405, 'Use POST /drip with {"address": "0x…"}.')
      throw new HttpError(404, 'Not found: POST /drip, GET /info, GET /health.')
    }
    handle().catch((error) => {
      if (error instanceof HttpError) reply(res, error.status, { error: error.message, ...error.extra })
      else reply(res, 500, { error: 'Internal error.' })
    })
  })
}
