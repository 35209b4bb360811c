#!/usr/bin/env node
/** rollup-lite CLI: `node` runs a durable node with HTTP/WS JSON-RPC; `genesis` prints a dev genesis. */
import { parseArgs } from 'node:util'
import { type Address, isAddress } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { devGenesis } from '../protocol/genesis-file.ts'
import { startNodeFromCli } from './run.ts'

const HELP: Record<string, string> = {
  main: `Usage: rollup-lite <command> [options]

Commands:
  node      Run a rollup node (HTTP + WebSocket JSON-RPC)
  genesis   Print a development genesis JSON to stdout
  verify    Re-derive the chain from L1 blobs / IPFS and check every output root

Run \`rollup-lite <command> --help\` for the command's options.`,
  node: `Usage: rollup-lite node --data-dir <dir> --genesis <file> [options]
       rollup-lite node --follow <inbox> | --agent <id> …   (a replica: rollup-lite node --follow --help)

Options:
  --data-dir <dir>        LevelDB directory (created if missing; the chain resumes from it)
  --genesis <file>        Genesis JSON: { chainId, alloc: { <address>: { balance, nonce, code, storage } } }
  --port <n>              JSON-RPC port (default 8547; 0 = any free port)
  --host <addr>           Listen address (default 127.0.0.1)
  --block-time <ms>       Seal a block every <ms> when it has transactions (default 1000)
  --max-block-txs <n>     Seal early when a block holds <n> transactions (default 5000)
  --batch-l1 <rpc>        Post batches to L1 through this RPC (needs --batch-inbox and SEQUENCER_KEY env)
  --batch-inbox <addr>    RollupInbox address
  --batch-ipfs <url>      IPFS peer HTTP API to pin every batch on
  --batch-max-wait <ms>   Post a batch at the latest this long after its first block (default 60000)
  --p2p-listen <addr>     Gossip every sealed block, signed with SEQUENCER_KEY, to replicas over libp2p
                          (a WebSocket multiaddr, e.g. /ip4/127.0.0.1/tcp/9100/ws; SPEC.md §12)
  --deposits              Bridge: include the portal's deposits for --batch-inbox, read through --batch-l1
                          (every block gets an L1 origin; SPEC.md §10.2)
  --portal <addr>         SeedPortal address (default: Seed's deterministic one)
  --rpc-gascap <gas>      Gas an eth_call / eth_estimateGas may use (default 50000000; 0 = block gas limit)
  --rpc-evmtimeout <ms>   Wall-clock limit of one eth_call / eth_estimateGas (default 5000)
  --rpc-batch-limit <n>   Requests in one JSON-RPC batch (default 1000)
  --rpc-batch-gas <gas>   Gas all calls of one batch may use together (default 250000000)
  --cors <origins>        Comma-separated origins browser pages may call from (default *; "" = none)
  --dev                   Open admin methods (rollup_sealBlock) to every caller
                          (else only to \`authorization: Bearer $ROLLUP_ADMIN_TOKEN\` when that env is set)
  -h, --help              Show this help`,
  genesis: `Usage: rollup-lite genesis [--chain-id <n>] [--inbox <address>] [--fund <address>]... [--fund-key <privateKey>]...

Prints a genesis JSON funding each address with 10,000 ETH. With --inbox, a bridged (v2) chain: the
alloc also holds the L2ToL1MessagePasser and L2StandardBridge predeploys (SPEC §10), the bridge naming
that RollupInbox.

Options:
  --chain-id <n>          Chain id (default 31338)
  --inbox <address>       The chain's L1 RollupInbox: adds the bridge predeploys
  --fund <address>        Address to prefund (repeatable)
  --fund-key <key>        Private key whose address to prefund (repeatable)
  -h, --help              Show this help`,
}

async function main(argv: string[]) {
  const [command, ...rest] = argv
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP.main)
    return
  }
  if (command === 'node') {
    const replica = ['--follow', '--agent', '--registration'].some((flag) => rest.includes(flag))
    if (replica && (rest.includes('--help') || rest.includes('-h'))) {
      return void console.log((await import('../replica/cli.ts')).FOLLOW_HELP)
    }
    const { values } = parseArgs({
      args: rest,
      options: {
        'data-dir': { type: 'string' },
        genesis: { type: 'string' },
        port: { type: 'string', default: '8547' },
        host: { type: 'string', default: '127.0.0.1' },
        'block-time': { type: 'string', default: '1000' },
        'max-block-txs': { type: 'string' },
        'batch-l1': { type: 'string' },
        'batch-inbox': { type: 'string' },
        'batch-ipfs': { type: 'string' },
        'batch-max-wait': { type: 'string', default: '60000' },
        deposits: { type: 'boolean' },
        portal: { type: 'string' },
        'rpc-gascap': { type: 'string' },
        'rpc-evmtimeout': { type: 'string' },
        'rpc-batch-limit': { type: 'string' },
        'rpc-batch-gas': { type: 'string' },
        cors: { type: 'string' },
        dev: { type: 'boolean' },
        'p2p-listen': { type: 'string' },
        // Replica (src/replica/cli.ts)
        follow: { type: 'string' },
        'sequencer-rpc': { type: 'string' },
        'sequencer-p2p': { type: 'string' },
        agent: { type: 'string' },
        identity: { type: 'string' },
        registration: { type: 'string' },
        l1: { type: 'string' },
        beacon: { type: 'string' },
        ipfs: { type: 'string' },
        poll: { type: 'string' },
        'challenger-key': { type: 'string' },
        manifest: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.follow !== undefined || values.agent !== undefined || values.registration !== undefined) {
      const stop = await (await import('../replica/cli.ts')).runFollow({
        ...values,
        'challenger-key': values['challenger-key'] ?? process.env.CHALLENGER_KEY,
      })
      if (!stop) return
      const shutdown = async () => {
        await stop()
        process.exit(0)
      }
      process.once('SIGINT', shutdown)
      process.once('SIGTERM', shutdown)
      return
    }
    if (values.help) return void console.log(HELP.node)
    const adminToken = process.env.ROLLUP_ADMIN_TOKEN || undefined
    const batcher = values['batch-l1']
      ? await (await import('../batch/cli-options.ts')).batcherOptions(values)
      : undefined
    if (values.deposits && (!values['batch-l1'] || !values['batch-inbox'])) {
      console.error(`error: --deposits needs --batch-l1 and --batch-inbox\n\n${HELP.node}`)
      process.exitCode = 2
      return
    }
    if (!values['data-dir'] || !values.genesis) {
      console.error(`error: --data-dir and --genesis are required\n\n${HELP.node}`)
      process.exitCode = 2
      return
    }
    const sequencerKey = process.env.SEQUENCER_KEY as `0x${string}` | undefined
    if (values['p2p-listen'] && !sequencerKey) {
      console.error('error: --p2p-listen needs SEQUENCER_KEY (the key unsafe blocks are signed with)')
      process.exitCode = 2
      return
    }
    const { server, node, stop } = await startNodeFromCli({
      dataDir: values['data-dir'],
      genesisPath: values.genesis,
      port: Number(values.port),
      host: values.host as string,
      blockTime: Number(values['block-time']),
      maxBlockTxs: values['max-block-txs'] ? Number(values['max-block-txs']) : undefined,
      batcher,
      deposits: values.deposits
        ? {
            l1RpcUrl: values['batch-l1'] as string,
            inbox: values['batch-inbox'] as Address,
            portal: values.portal as Address | undefined,
          }
        : undefined,
      rpcLimits: {
        ...(values['rpc-gascap'] !== undefined && { gasCap: BigInt(values['rpc-gascap']) }),
        ...(values['rpc-evmtimeout'] !== undefined && { callTimeoutMs: Number(values['rpc-evmtimeout']) }),
        ...(values['rpc-batch-limit'] !== undefined && { maxBatchRequests: Number(values['rpc-batch-limit']) }),
        ...(values['rpc-batch-gas'] !== undefined && { batchGasBudget: BigInt(values['rpc-batch-gas']) }),
        dev: values.dev === true,
      },
      server: {
        adminToken,
        ...(values.cors !== undefined && { corsOrigins: values.cors.split(',').filter((o) => o !== '') }),
      },
    })
    const gossip =
      values['p2p-listen'] && sequencerKey
        ? await (await import('../replica/cli.ts')).startSequencerGossip(node, values['p2p-listen'], sequencerKey)
        : undefined
    const s = node.status()
    console.log(
      JSON.stringify({
        event: 'listening',
        url: server.url,
        ws: server.wsUrl,
        chainId: s.chainId.toString(),
        head: s.head.number.toString(),
        ...(gossip && { p2p: gossip.multiaddrs }),
      }),
    )
    const shutdown = async () => {
      await gossip?.stop()
      await stop()
      process.exit(0)
    }
    process.once('SIGINT', shutdown)
    process.once('SIGTERM', shutdown)
    return
  }
  if (command === 'verify') {
    // Exits once the verdict is known: two MessagePorts stay open after the watch stopped (SIGTERM, or its parent
    // gone), which kept a stopped `verify --watch` up for ever.
    process.exit(await (await import('../derive/cli.ts')).runVerify(rest))
  }
  if (command === 'genesis') {
    const { values } = parseArgs({
      args: rest,
      options: {
        'chain-id': { type: 'string', default: '31338' },
        inbox: { type: 'string' },
        fund: { type: 'string', multiple: true, default: [] },
        'fund-key': { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help) return void console.log(HELP.genesis)
    const funded = [
      ...(values.fund as string[]),
      ...(values['fund-key'] as string[]).map((k) => privateKeyToAddress(k as `0x${string}`)),
    ] as `0x${string}`[]
    if (values.inbox !== undefined && !isAddress(values.inbox)) {
      console.error(`error: --inbox is not an address: ${values.inbox}\n\n${HELP.genesis}`)
      process.exitCode = 2
      return
    }
    const inbox = values.inbox as `0x${string}` | undefined
    console.log(JSON.stringify(devGenesis(Number(values['chain-id']), funded, { inbox }), null, 2))
    return
  }
  console.error(`unknown command: ${command}\n\n${HELP.main}`)
  process.exitCode = 2
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
