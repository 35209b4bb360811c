/**
 * Paired-agent figures (headless Chromium + the built extension + a fresh devnet), through the real
 * path: the official MCP SDK client → `seed-agent mcp` (stdio) → its bridge → WebSocket → the
 * extension's service worker → the capability API.
 *   agent.mcp_tool_rtt_ms  a read tool (`addresses`) called from the MCP client, p50
 *   x402.wallet.pay_ms     `x402_fetch` of a resource sold on the stack's rollup (exact, upfront flow):
 *                          the unpaid request, its 402, the wallet's pipeline (grant + policy reserved,
 *                          the rollup account signs), the paid request and its answer, p50; its notes give
 *                          the p50 of each stage (payment-trace.ts)
 * Run: `pnpm bench agent` (logs on stderr, JSON lines on stdout).
 */
import { devAccount, devPrivateKey, startStack } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import { createFacilitator, startFacilitatorServer, startLocalRollup } from '@seed/x402/node'
import { createPublicClient, http } from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { fundUsdOnStackRollup, pairInPopup, sellOnStackRollup, startMcpAgent } from '../e2e/agent-harness.ts'
import { agentRollup, buildForTest, createWallet, launchWithExtension } from '../e2e/harness.ts'
import { tracePayments } from './payment-trace.ts'

const RTT_SAMPLES = 200
// Every payment is a policy action: the wallet's default rate limit is 30 a minute.
const PAY_SAMPLES = 20
const PAY_WARMUP = 3

const stack = await startStack({ manifestPath: false })
const closers: (() => Promise<unknown>)[] = [() => stack.stop()]
try {
  // As x402's own bench (decision 0503): an in-process rollup-lite node with Seed USD and its facilitator,
  // given to the wallet as the stack's rollup (its build reads the rollup from the manifest).
  const l1 = createPublicClient({ transport: http(stack.manifest.l1.rpcUrl) })
  const rollup = await startLocalRollup({
    l1,
    chainId: 31_340,
    usd: {
      address: stack.manifest.contracts.usd,
      owner: devAccount('deployer').address,
      balances: { [devAccount('user').address]: 1_000_000_000n },
    },
    funded: [devAccount('deployer').address, devAccount('facilitator').address, devAccount('user').address],
  })
  closers.unshift(() => rollup.close())
  const { facilitator } = createFacilitator({
    privateKey: devPrivateKey('facilitator'),
    networks: [{ chainId: rollup.chainId, rpcUrl: rollup.rpcUrl, simulateInSettle: false }],
    pollingIntervalMs: 5,
  })
  const facilitatorServer = await startFacilitatorServer(facilitator)
  closers.unshift(() => facilitatorServer.close())
  const manifest = {
    ...stack.manifest,
    rollup: { ...stack.manifest.rollup, chainId: rollup.chainId, rpcUrl: rollup.rpcUrl },
    services: { ...stack.manifest.services, facilitator: facilitatorServer.url },
  }
  const browser = await launchWithExtension(await buildForTest(manifest))
  closers.unshift(() => browser.close())
  const agent = await startMcpAgent('bench')
  closers.unshift(() => agent.close())
  {
    await createWallet(browser, 'bench password')
    const { account } = await agentRollup(browser)
    await fundUsdOnStackRollup(manifest, account, 10_000_000n)
    const seller = await sellOnStackRollup(manifest, privateKeyToAddress(generatePrivateKey()), 1_000n)
    closers.unshift(() => seller.close())
    const { popup } = await pairInPopup(browser, agent, { budgetUsd: '100', approvalAboveUsd: '100' })
    await popup.close()
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const t = performance.now()
      const result = (await agent.client.callTool({ name, arguments: args })) as { isError?: boolean; content: unknown }
      if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`)
      return performance.now() - t
    }

    for (let i = 0; i < 20; i++) await call('addresses')
    const rtts: number[] = []
    for (let i = 0; i < RTT_SAMPLES; i++) rtts.push(await call('addresses'))
    const rtt = stats(rtts)
    emit({
      bench: 'agent.mcp_tool_rtt_ms',
      value: round(rtt.p50, 3),
      unit: 'ms',
      env: 'chromium',
      ...rtt,
      notes: 'MCP client → seed-agent (stdio) → bridge → WebSocket → service worker: the `addresses` tool',
    })

    const trace = tracePayments({
      seller: seller.server,
      facilitatorUrl: facilitatorServer.url,
      rollupUrl: rollup.rpcUrl,
    })
    closers.unshift(async () => trace.close())
    const pays: number[] = []
    for (let i = 0; i < PAY_WARMUP + PAY_SAMPLES; i++) {
      const startedAt = trace.begin()
      const ms = await call('x402_fetch', { url: seller.url })
      if (i < PAY_WARMUP) continue
      pays.push(ms)
      const worker = browser.context.serviceWorkers()[0]
      if (worker) await trace.end(startedAt, worker)
    }
    const pay = stats(pays)
    log(`x402.wallet.pay_ms p50 per stage (ms): ${trace.breakdown()}`)
    emit({
      bench: 'x402.wallet.pay_ms',
      value: round(pay.p50),
      unit: 'ms',
      env: 'chromium',
      ...pay,
      notes: `x402_fetch on an in-process rollup-lite node with its facilitator, as x402.rollup.pay_ms (exact, upfront): 402 → pipeline → paid answer, plus one MCP round trip (${round(rtt.p50, 1)} ms p50). p50 per stage, ms: ${trace.breakdown()}`,
    })
  }
} catch (error) {
  log(error)
  process.exitCode = 1
} finally {
  for (const close of closers) await close().catch(log)
}
