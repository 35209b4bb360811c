/**
 * Paired agents in the browser tests and the agent bench: `seed-agent mcp` spawned by the official MCP
 * SDK client (stdio), pairing it in the popup like a person (the code on both sides), a service sold
 * through x402 on the stack's rollup, and Seed USD for the agent's rollup account there.
 */
import { mkdtempSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { SeedUSDAbi } from '@seed/contracts'
import type { Manifest } from '@seed/devnet'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import { caip2, usdPrice } from '@seed/x402'
import { sellService } from '@seed/x402/node'
import type { Page } from 'playwright-core'
import { type Address, createPublicClient, createWalletClient, defineChain, http } from 'viem'
import { foundry } from 'viem/chains'
import { EXTENSION_ROOT } from '../scripts/build.ts'
import { openPopup } from './harness.ts'

const SEED_AGENT = join(EXTENSION_ROOT, '..', '..', 'packages', 'agent', 'bin', 'seed-agent.mjs')

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** `seed-agent mcp` under the official MCP client (stdio); its stderr lines (the pairing code) are kept. */
export async function startMcpAgent(name: string) {
  const port = await freePort()
  const home = mkdtempSync(join(process.env.SEED_TEST_TMP ?? tmpdir(), 'seed-agent-'))
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SEED_AGENT, 'mcp', '--name', name, '--port', String(port), '--home', home],
    stderr: 'pipe',
    env: { ...process.env } as Record<string, string>,
  })
  const lines: string[] = []
  transport.stderr?.on('data', (chunk: Buffer) => lines.push(...String(chunk).split('\n').filter(Boolean)))
  const client = new Client({ name: 'seed-e2e', version: '0.0.0' })
  await client.connect(transport)
  return { client, port, home, bridgeUrl: `ws://127.0.0.1:${port}`, stderr: lines, close: () => client.close() }
}

/** Waits for a line on the agent's stderr (the pairing code it prints). */
export async function agentCode(stderr: string[], timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const line = stderr.find((l) => l.startsWith('Pairing code: '))
    if (line) return /Pairing code: (\d{3} \d{3})/.exec(line)![1]!
    if (Date.now() > deadline) throw new Error(`no pairing code on the agent's stderr:\n${stderr.join('\n')}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export type GrantFields = Partial<
  Record<'budgetEth' | 'budgetUsd' | 'approvalAboveEth' | 'approvalAboveUsd' | 'allowedTargets' | 'days', string>
>

/**
 * Pairs like a person: Agents → the bridge address → Pair, then types the code the agent printed,
 * sets the grant and approves. Returns the popup, still open on the Agents screen.
 */
export async function pairInPopup(
  browser: Browser & { extensionId: string },
  agent: { bridgeUrl: string; stderr: string[] },
  grant: GrantFields = {},
) {
  const popup = await openPopup(browser, '/pairings')
  await popup.setViewportSize({ width: 380, height: 900 })
  await popup.getByLabel(/Agent bridge/).fill(agent.bridgeUrl)
  await popup.getByRole('button', { name: 'Pair an agent' }).click()
  const printed = await agentCode(agent.stderr)
  await popup.locator('input[name="code"]').fill(printed)
  for (const [key, value] of Object.entries(grant)) await popup.locator(`input[name="${key}"]`).fill(value)
  await popup.getByRole('button', { name: 'Approve pairing' }).click()
  await popup.getByTestId('pairing').first().waitFor()
  return { popup, code: printed }
}

export async function revokeInPopup(popup: Page) {
  await popup.getByRole('button', { name: 'Revoke' }).first().click()
  await popup.getByText('· revoked').first().waitFor()
}

const stackRollup = (manifest: Manifest) =>
  defineChain({
    id: manifest.rollup.chainId,
    name: 'Seed rollup (stack)',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [manifest.rollup.rpcUrl] } },
  })

/** Seed USD (6 decimals) for `to` on the stack's rollup, from a dev account its genesis funds. */
export async function fundUsdOnStackRollup(manifest: Manifest, to: Address, amount: bigint) {
  const chain = stackRollup(manifest)
  const wallet = createWalletClient({ chain, transport: http(manifest.rollup.rpcUrl), account: devAccount('user') })
  const client = createPublicClient({ chain, transport: http(manifest.rollup.rpcUrl), pollingInterval: 50 })
  const hash = await wallet.writeContract({
    address: manifest.contracts.usd,
    abi: SeedUSDAbi,
    functionName: 'transfer',
    args: [to, amount],
  })
  await client.waitForTransactionReceipt({ hash })
}

export async function usdOnStackRollup(manifest: Manifest, of: Address) {
  const client = createPublicClient({ chain: stackRollup(manifest), transport: http(manifest.rollup.rpcUrl) })
  return client.readContract({
    address: manifest.contracts.usd,
    abi: SeedUSDAbi,
    functionName: 'balanceOf',
    args: [of],
  })
}

/** A paid JSON resource on the stack's rollup (the devnet facilitator settles it; `upfront`, decision 0506). */
export async function sellOnStackRollup(manifest: Manifest, payTo: Address, price: bigint) {
  return sellService({
    price: usdPrice(manifest.contracts.usd, price),
    network: caip2(manifest.rollup.chainId),
    payTo,
    facilitatorUrl: manifest.services.facilitator!,
    method: 'GET',
    path: '/quote',
    paymentFlow: 'upfront',
    handler: (_req, res) => res.json({ quote: 42 }),
  })
}

/** Seed USD on L1, minted by the devnet's deployer. */
export async function mintUsdOnL1(manifest: Manifest, to: Address, amount: bigint) {
  const wallet = createWalletClient({
    chain: foundry,
    transport: http(manifest.l1.rpcUrl),
    account: devAccount('deployer'),
  })
  const client = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 50 })
  const hash = await wallet.writeContract({
    address: manifest.contracts.usd,
    abi: SeedUSDAbi,
    functionName: 'mint',
    args: [to, amount],
  })
  await client.waitForTransactionReceipt({ hash })
}

/** A paid JSON resource on L1 only (the devnet facilitator, the default `authorization` flow). */
export async function sellOnL1(manifest: Manifest, payTo: Address, price: bigint) {
  return sellService({
    price: usdPrice(manifest.contracts.usd, price),
    network: caip2(manifest.l1.chainId),
    payTo,
    facilitatorUrl: manifest.services.facilitator!,
    method: 'GET',
    path: '/report',
    handler: (_req, res) => res.json({ report: 'ok' }),
  })
}
