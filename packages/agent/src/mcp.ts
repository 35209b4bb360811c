/**
 * The MCP server over the paired API: any MCP client (Claude, Cursor, an OpenAI agent) uses the
 * wallet as tools. Results are structured (`structuredContent`, and the same JSON as text); a refusal
 * is a tool error that says why: the wallet's code, the policy's or grant's reasons, and what is left
 * of the grant and the wallet's day budget.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { z } from 'zod'
import type { CapabilityMethod, PolicyView } from './api.ts'
import type { Invoke } from './client.ts'
import { SeedAgentError } from './errors.ts'

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/)
const hex = z.string().regex(/^0x[0-9a-fA-F]*$/)
const chain = z.enum(['l1', 'rollup']).describe('"l1": the smart account on L1; "rollup": the agent\'s rollup account')
const call = z.object({ to: address, value: hex.optional().describe('wei, hex'), data: hex.optional() })

/** A refusal as the agent should read it: why, and what it may still spend. */
async function refusal(invoke: Invoke, error: unknown) {
  const wallet = error instanceof SeedAgentError ? error : undefined
  const reasons = wallet?.reasons ?? []
  let left: Record<string, string> | undefined
  if (wallet?.code === 4100 && !reasons.some((r) => ['revoked', 'expired', 'unpaired'].includes(r.code))) {
    const policy = (await invoke('policy.get').catch(() => undefined)) as PolicyView | undefined
    if (policy) {
      left = {
        walletSpentTodayEth: policy.wallet.spentTodayEth,
        walletDailyEth: policy.wallet.dailyEth,
        ...(policy.grant ? { grantLeftEth: policy.grant.leftEth, grantLeftUsd: policy.grant.leftUsd } : {}),
      }
    }
  }
  const why =
    wallet?.code === 4001
      ? 'approval rejected'
      : reasons.length
        ? reasons.map((r) => `${r.code}: ${r.message}`).join('; ')
        : (wallet?.message ?? String((error as Error)?.message ?? error))
  const structured = {
    refused: true,
    code: wallet?.code ?? -32603,
    message: wallet?.message ?? String((error as Error)?.message ?? error),
    reasons,
    ...(left ? { left } : {}),
  }
  return {
    isError: true,
    content: [
      {
        type: 'text' as const,
        text: `Refused (${structured.code}): ${why}${left ? ` — left: ${JSON.stringify(left)}` : ''}`,
      },
    ],
    structuredContent: structured,
  }
}

export function createSeedMcpServer(invoke: Invoke) {
  const server = new McpServer({ name: 'seed-wallet', version: '0.0.0' })
  const tool = (
    name: string,
    description: string,
    inputSchema: z.ZodRawShape,
    run: (args: any) => [CapabilityMethod, unknown],
  ) =>
    server.registerTool(name, { description, inputSchema }, async (args: unknown) => {
      try {
        const [method, params] = run(args)
        const result = await invoke(method, params)
        const structured = (Array.isArray(result) ? { items: result } : (result ?? {})) as Record<string, unknown>
        return { content: [{ type: 'text' as const, text: JSON.stringify(result) }], structuredContent: structured }
      } catch (error) {
        return refusal(invoke, error)
      }
    })

  tool('balances', 'ETH and Seed USD of the smart account (L1) and the rollup account', {}, () => [
    'wallet.balances',
    undefined,
  ])
  tool('addresses', "The wallet's addresses and chain ids", {}, () => ['wallet.addresses', undefined])
  tool(
    'send',
    'Send ETH or call a contract (one transaction) on L1 or the rollup, under the policy',
    { chain, ...call.shape },
    ({ chain, ...c }) => (chain === 'rollup' ? ['rollup.send', c] : ['wallet.sendCalls', { chain, calls: [c] }]),
  )
  tool(
    'sendCalls',
    'Several calls: one atomic user op on L1, one transaction each on the rollup',
    { chain, calls: z.array(call).min(1).max(32) },
    (a) => ['wallet.sendCalls', a],
  )
  tool(
    'x402_fetch',
    'Fetch a URL; if it answers 402, pay it in Seed USD from the wallet (L1 or rollup) under the policy',
    {
      url: z.string().url(),
      method: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.string().optional(),
    },
    ({ url, method, headers, body }) => ['x402.fetch', { url, init: { method, headers, body } }],
  )
  tool('rollup_status', "The agent's rollup: head, pending txs, batches posted to L1", {}, () => [
    'rollup.status',
    undefined,
  ])
  tool(
    'rollup_deploy',
    'Deploy a contract on the rollup (creation bytecode, constructor args appended)',
    { bytecode: hex, value: hex.optional() },
    (a) => ['rollup.deploy', a],
  )
  tool('rollup_call', 'A read-only call on the rollup (eth_call)', { to: address, data: hex }, (a) => [
    'rollup.call',
    a,
  ])
  tool('policy', "This agent's limits and what is left: the wallet's policy and the pairing's grant", {}, () => [
    'policy.get',
    undefined,
  ])
  tool(
    'activity',
    'What the wallet did recently, and for whom',
    { limit: z.number().int().min(1).max(100).optional() },
    (a) => ['activity.list', a],
  )
  tool(
    'agents_find',
    'ERC-8004 agents offering a service of this kind (e.g. rollup-rpc, x402, MCP), each verified or not with why',
    { kind: z.string().min(1).max(100).optional() },
    (a) => ['agents.find', a],
  )
  tool(
    'agents_summary',
    "An ERC-8004 agent's feedback; the summary counts only feedback backed by a verified payment",
    { agentId: z.string().regex(/^\d{1,78}$/) },
    (a) => ['agents.summary', a],
  )
  const usd = z
    .string()
    .regex(/^\d+(\.\d{1,6})?$/)
    .describe('Seed USD, decimal')
  tool(
    'bounties_post',
    "Post a bounty for the wallet's chain (replica, verify or pin), paid per epoch to operators whose probes pass; the funds are a Seed USD spend under the policy",
    {
      kind: z.enum(['replica', 'verify', 'pin']),
      pricePerEpoch: usd,
      epochSeconds: z.number().int().min(1),
      maxOperators: z.number().int().min(1).max(64),
      funds: usd,
    },
    (a) => ['bounties.post', a],
  )
  const bountyRef = { bountyId: z.string().regex(/^\d{1,78}$/) }
  tool(
    'bounties_close',
    'Request the close of a bounty this wallet posted; its operators have the escrow close delay (1 hour) to claim, then withdraw',
    bountyRef,
    (a) => ['bounties.close', a],
  )
  tool(
    'bounties_withdraw',
    "After a bounty's close delay, take back its unclaimed funds to the smart account (a refund, not a spend)",
    bountyRef,
    (a) => ['bounties.withdraw', a],
  )
  const transfer = {
    asset: z.enum(['eth', 'usd']),
    amount: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .describe('decimal'),
  }
  const withdrawal = { withdrawalHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/) }
  tool(
    'bridge_deposit',
    "Deposit ETH or Seed USD from the smart account (L1) into the agent's rollup account, under the policy",
    transfer,
    (a) => ['bridge.deposit', a],
  )
  tool(
    'bridge_withdraw',
    'Withdraw ETH or Seed USD from the rollup account to the smart account; prove it once an output covers it',
    transfer,
    (a) => ['bridge.withdraw', a],
  )
  tool(
    'bridge_prove',
    'Prove a withdrawal on L1 against the posted output covering it (starts the challenge window)',
    withdrawal,
    (a) => ['bridge.prove', a],
  )
  tool(
    'bridge_finalize',
    'Finalize a proven withdrawal after its challenge window: the value reaches the smart account',
    withdrawal,
    (a) => ['bridge.finalize', a],
  )
  tool('bridge_status', 'Every withdrawal with its stage and the seconds left of its challenge window', {}, () => [
    'bridge.status',
    undefined,
  ])
  return server
}

export async function serveStdio(invoke: Invoke) {
  await createSeedMcpServer(invoke).connect(new StdioServerTransport())
}

/** Streamable HTTP on 127.0.0.1 (`POST /mcp`), one session per client. */
export async function serveHttp(invoke: Invoke, port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const sessions = new Map<string, StreamableHTTPServerTransport>()
  const http: Server = createServer(async (req, res) => {
    if (!req.url?.startsWith('/mcp')) return res.writeHead(404).end()
    const id = req.headers['mcp-session-id']
    let transport = typeof id === 'string' ? sessions.get(id) : undefined
    if (!transport) {
      if (req.method !== 'POST' || id) return res.writeHead(400).end('unknown MCP session')
      const bound = (http.address() as AddressInfo).port
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        // A web page rebinding a name to 127.0.0.1 sends its own Host: refused (the wallet's tools are not for pages).
        enableDnsRebindingProtection: true,
        allowedHosts: [`127.0.0.1:${bound}`, `localhost:${bound}`],
        onsessioninitialized: (sid) => void sessions.set(sid, transport!),
      })
      transport.onclose = () => transport?.sessionId && sessions.delete(transport.sessionId)
      await createSeedMcpServer(invoke).connect(transport)
    }
    await transport.handleRequest(req, res)
  })
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  }
}
