#!/usr/bin/env node
/**
 * `seed-agent`: pair this machine's agent with the Seed wallet, run a script with the capability API,
 * serve the wallet's tools over MCP, or print the wallet's status. Each command starts the agent's
 * bridge (ws://127.0.0.1:7402 by default) that the extension connects out to.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { BridgeAsset, SeedAgentApi, WithdrawalView } from './api.ts'
import { startBridge } from './bridge.ts'
import { DEFAULT_BRIDGE_PORT } from './bridge-protocol.ts'
import { createSeedAgent } from './client.ts'
import { defaultHome, loadIdentity, saveIdentity } from './identity.ts'
import { serveHttp, serveStdio } from './mcp.ts'

const COMMON = `Options (every command):
  --name <name>     the agent's name, shown in the wallet as agent:<name> (default: agent)
  --port <port>     the bridge's port on 127.0.0.1 (default: ${DEFAULT_BRIDGE_PORT})
  --home <dir>      where agent keys and pairings are kept (default: $SEED_AGENT_HOME or ~/.seed-agent)
  -h, --help        this help`

const HELP: Record<string, string> = {
  '': `seed-agent — drive the Seed wallet from an agent on this machine

Usage: seed-agent <command> [options]

Commands:
  pair              pair this agent with the wallet (approve it in the Seed popup: Agents)
  run <script>      run a script: its default export gets the capability API (seed) and its result is printed
  mcp               serve the wallet as MCP tools (stdio, or --http <port>)
  status            the wallet's addresses, balances and this agent's limits
  bridge <step>     move ETH or Seed USD between L1 and the agent's rollup (deposit, withdraw, prove,
                    finalize, status)

Run seed-agent <command> --help for its options.

${COMMON}`,
  pair: `seed-agent pair — pair this agent with the Seed wallet

Starts the bridge and prints a code. In the Seed popup open Agents → Pair an agent, enter the bridge
address, type the code printed here, set the grant (budget, targets, expiry, approval
threshold) and approve. Exits once paired.

${COMMON}`,
  run: `seed-agent run <script> — run a script against the wallet

The script (.mjs, .js or .ts) default-exports an async function; it is called with the capability API
(seed.wallet, seed.rollup, seed.x402, seed.policy, seed.events, seed.log, seed.sleep) and what it
returns is printed as JSON. Needs a paired agent (seed-agent pair).

${COMMON}`,
  mcp: `seed-agent mcp — the wallet's tools over MCP

Tools: balances, addresses, send, sendCalls, x402_fetch, rollup_status, rollup_deploy, rollup_call,
policy, activity, agents_find, agents_summary, bridge_deposit, bridge_withdraw, bridge_prove,
bridge_finalize, bridge_status. Refusals are tool errors with the reason and what is left.
An unpaired agent prints its pairing code on stderr and waits to be paired.

  --http <port>     streamable HTTP on http://127.0.0.1:<port>/mcp instead of stdio

${COMMON}`,
  status: `seed-agent status — the wallet as this agent sees it (addresses, balances, limits)

${COMMON}`,
  bridge: `seed-agent bridge <step> — move value between the smart account (L1) and the agent's rollup

Steps:
  deposit --asset eth|usd --amount <n>    L1 → rollup: one L1 send from the smart account
  withdraw --asset eth|usd --amount <n>   rollup → L1: one rollup send; prints the withdrawal's hash
  prove --withdrawal <hash> [--wait]      proves it on L1 once a posted output covers it; the window starts
  finalize --withdrawal <hash> [--wait]   after the challenge window: the value reaches the smart account
  status                                  every withdrawal with its stage and the window's countdown

Every step goes through the wallet's policy (and its approval window above the pairing's thresholds).
Amounts are decimal (ether, dollars). --wait waits for the output (prove) or the window (finalize),
printing the countdown, instead of being refused because it is early.

  --asset <eth|usd>     what crosses
  --amount <n>          how much, e.g. 0.5
  --withdrawal <hash>   the withdrawal (from withdraw or status)
  --wait                wait until the step can run

${COMMON}`,
}

const BRIDGE_STEPS = ['deposit', 'withdraw', 'prove', 'finalize', 'status'] as const

/** Polls the withdrawal until `ready` says it may move on, printing where it stands when that changes. */
async function waitFor(
  seed: SeedAgentApi,
  hash: string,
  ready: (w: WithdrawalView) => boolean,
  say: (line: string) => void,
) {
  let last = ''
  for (;;) {
    const w = (await seed.bridge.status()).find((x) => x.withdrawalHash.toLowerCase() === hash.toLowerCase())
    if (!w) throw new Error(`no withdrawal ${hash} in this wallet`)
    if (ready(w)) return
    if (w.stage === 'challenged' || w.stage === 'finalized') throw new Error(`withdrawal is ${w.stage}`)
    const line = w.stage === 'proven' ? `proven: window closes in ${w.secondsLeft ?? '?'} s` : `stage: ${w.stage}`
    if (line !== last) say(line)
    last = line
    await new Promise((r) => setTimeout(r, 3_000))
  }
}

/** Runs one bridge step and returns what to print. */
async function bridgeStep(seed: SeedAgentApi, step: string | undefined, say: (line: string) => void) {
  const hash = values.withdrawal
  const needsHash = () => {
    if (!hash) throw new Error(`seed-agent bridge ${step}: --withdrawal <hash> is required`)
    return hash as `0x${string}`
  }
  const transfer = () => {
    if (values.asset !== 'eth' && values.asset !== 'usd')
      throw new Error(`seed-agent bridge ${step}: --asset eth|usd is required`)
    if (!values.amount) throw new Error(`seed-agent bridge ${step}: --amount is required`)
    return { asset: values.asset as BridgeAsset, amount: values.amount }
  }
  switch (step) {
    case 'deposit':
      return seed.bridge.deposit(transfer())
    case 'withdraw':
      return seed.bridge.withdraw(transfer())
    case 'prove': {
      const withdrawalHash = needsHash()
      if (values.wait) await waitFor(seed, withdrawalHash, (w) => w.stage === 'output-posted', say)
      return seed.bridge.prove({ withdrawalHash })
    }
    case 'finalize': {
      const withdrawalHash = needsHash()
      if (values.wait) await waitFor(seed, withdrawalHash, (w) => w.stage === 'finalizable', say)
      return seed.bridge.finalize({ withdrawalHash })
    }
    case 'status':
      return seed.bridge.status()
  }
  throw new Error(`seed-agent bridge: the step is one of ${BRIDGE_STEPS.join(', ')}`)
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string', default: 'agent' },
    port: { type: 'string', default: String(DEFAULT_BRIDGE_PORT) },
    home: { type: 'string' },
    http: { type: 'string' },
    asset: { type: 'string' },
    amount: { type: 'string' },
    withdrawal: { type: 'string' },
    wait: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
})

const command = positionals[0] ?? ''
if (values.help || !command || !(command in HELP)) {
  console.log(HELP[command in HELP ? command : ''])
  process.exit(values.help || !command ? 0 : 2)
}

const home = values.home ?? defaultHome()
const identity = loadIdentity(home, values.name!)
// stdout is the MCP channel under `mcp`: everything for the person goes to stderr.
const say = (line: string) => console.error(line)
const bridge = await startBridge({
  identity,
  port: Number(values.port),
  save: (id) => saveIdentity(home, id),
  onCode: (code) =>
    say(`Pairing code: ${code} — type it in the Seed popup (Agents → Pair an agent → ws://127.0.0.1:${values.port})`),
  onPaired: (id) => say(`Paired as agent:${id.name}.`),
  onRefused: (reason) => say(`The wallet refused: ${reason}`),
})
const seed = createSeedAgent((method, params) => bridge.invoke(method, params))

try {
  switch (command) {
    case 'pair': {
      if (identity.pairingId) say(`agent:${identity.name} is already paired (pairing ${identity.pairingId}).`)
      else say(`Bridge on ${bridge.url}; waiting for the Seed popup…`)
      await bridge.connected(10 * 60_000)
      break
    }
    case 'run': {
      const script = positionals[1]
      if (!script) throw new Error('seed-agent run <script>: which script?')
      const module = (await import(pathToFileURL(resolve(script)).href)) as { default?: (seed: unknown) => unknown }
      if (typeof module.default !== 'function') throw new Error(`${script} has no default-exported function`)
      const result = await module.default(seed)
      if (result !== undefined) console.log(JSON.stringify(result, null, 2))
      break
    }
    case 'mcp': {
      if (!identity.pairingId) say(`Not paired yet: tools answer once paired. Bridge on ${bridge.url}.`)
      const invoke = (method: Parameters<typeof bridge.invoke>[0], params?: unknown) => bridge.invoke(method, params)
      if (values.http) {
        const http = await serveHttp(invoke, Number(values.http))
        say(`MCP (streamable HTTP) on ${http.url}`)
      } else {
        await serveStdio(invoke)
      }
      // Serves until the client goes (stdin closes) or the process is stopped.
      await new Promise<void>((resolve) => {
        process.stdin.on('close', resolve)
        process.on('SIGINT', resolve)
        process.on('SIGTERM', resolve)
      })
      break
    }
    case 'bridge': {
      console.log(JSON.stringify(await bridgeStep(seed, positionals[1], say), null, 2))
      break
    }
    case 'status': {
      const [addresses, balances, policy] = await Promise.all([
        seed.wallet.addresses(),
        seed.wallet.balances(),
        seed.policy.get(),
      ])
      console.log(JSON.stringify({ addresses, balances, policy }, null, 2))
      break
    }
  }
} catch (error) {
  say(`seed-agent ${command}: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await bridge.close()
}
