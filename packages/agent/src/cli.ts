#!/usr/bin/env node
/**
 * `seed-agent`: pair this machine's agent with the Seed wallet, run a script with the capability API,
 * serve the wallet's tools over MCP, or print the wallet's status. Each command starts the agent's
 * bridge (ws://127.0.0.1:7402 by default) that the extension connects out to.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
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
policy, activity. Refusals are tool errors with the reason and what is left.
An unpaired agent prints its pairing code on stderr and waits to be paired.

  --http <port>     streamable HTTP on http://127.0.0.1:<port>/mcp instead of stdio

${COMMON}`,
  status: `seed-agent status — the wallet as this agent sees it (addresses, balances, limits)

${COMMON}`,
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string', default: 'agent' },
    port: { type: 'string', default: String(DEFAULT_BRIDGE_PORT) },
    home: { type: 'string' },
    http: { type: 'string' },
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
