#!/usr/bin/env node
/**
 * `seed-operator`: find bounties posted for agents' chains, join one as an ERC-8004 agent, run the work
 * (a replica, a verifier or a pinner answering signed probes, paid by vouchers it settles on L1), and show a
 * slot's status and progress.
 * Output is JSON lines on stdout; the key comes from $SEED_OPERATOR_KEY or --key-file, never from argv.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  BOUNTY_KINDS,
  type BountyKind,
  readBounty,
  readBountySlot,
  SeedBountyEscrowAbi,
  seedBountyEscrow,
  seedErc8004Registries,
} from '@seed/contracts'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  isAddress,
  isHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { getContractEvents } from 'viem/actions'
import { OperatorError } from './errors.ts'
import { findBounties } from './findBounties.ts'
import { joinBounty } from './joinBounty.ts'
import { readProgress } from './readProgress.ts'
import { toWireJson } from './replicaAnswer.ts'
import { runOperator } from './runOperator.ts'
import { fileVoucherStore } from './voucherStore.ts'

const COMMON = `Options (every command):
  --l1 <rpc>          L1 JSON-RPC URL (default: the devnet manifest's)
  --escrow <address>  the bounty escrow (default: Seed's deterministic SeedBountyEscrow)
  --identity <addr>   the ERC-8004 identity registry (default: Seed's)
  --manifest <file>   devnet manifest (default: $SEED_MANIFEST or .seed/devnet.json)
  -h, --help          this help`

const KEY = `The operator key: $SEED_OPERATOR_KEY (0x… private key) or --key-file <file> holding it.`

const HELP: Record<string, string> = {
  '': `seed-operator — serve agents' chains for bounties: replicas, verifiers, pinners

Usage: seed-operator <command> [options]

Commands:
  find              open bounties (escrow events), each poster's ERC-8004 identity checked
  join <bountyId>   register as an ERC-8004 agent if the key owns none, then take a slot
  run <bountyId>    serve the slot (replica, verify or pin), answer signed probes, settle vouchers on L1
  status <bountyId> the bounty, this key's slot, what was paid, the voucher held and the work's progress

Run seed-operator <command> --help for its options. Output: JSON lines on stdout.

${COMMON}`,
  find: `seed-operator find — open bounties

Lists the bounties the escrow's BountyPosted events name that are open (not closing, a slot free), one
JSON line each: terms, and the poster's ERC-8004 identity (verified: its registration file matches its
CID, names this registry and a wallet; servesInbox: the file names the bounty's chain).

  --kind <kind>       replica, verify or pin (default: all)
  --ipfs <url>        IPFS gateway for registration files (default: the manifest's services.ipfsHttp)

${COMMON}`,
  join: `seed-operator join <bountyId> — take a slot in a bounty

Registers an ERC-8004 agent owned by the key when it owns none (its wallet, where the escrow pays, is the
key), then joins the bounty. Prints {agentId, registered, payee}.

  --agent-id <id>     join as this agent (the key must own or operate it)
  --agent-uri <uri>   the new agent's registration file URI (ipfs://…) when one is registered

${KEY}

${COMMON}`,
  run: `seed-operator run <bountyId> — serve a bounty slot

By the bounty's kind:
  replica  a replica of the bounty's chain (rollup-lite node --follow <inbox>); POST /probe answers its head,
           a block's hash and state root; paid per epoch
  verify   rollup-lite verify --watch on the chain: answers the poster's ERC-8004 validationRequests naming
           this key with validationResponse once the window is re-derived; POST /probe answers the output
           roots it derived; paid per challenge window
  pin      its own IPFS peer (Helia, under --data-dir) pins every batch's CID as batches are posted, fetched
           from --ipfs and checked against the inbox; POST /probe answers a batch's bytes; paid per batch
Answers are signed by the key. Takes the poster's vouchers (POST /voucher) and claims them on L1 every
--settle-every vouchers, when the poster asks to close, and on stop. Prints {"event":"listening",…} then one
line per voucher, settlement and verdict or pin. Ctrl-C stops (after settling).

  --agent-id <id>         the slot's agent (default: the one this key joined with)
  --data-dir <dir>        the replica's LevelDB, a pinner's IPFS blocks, the vouchers held (required)
  --genesis <file>        replica and verify: the chain's genesis (default: the manifest's, for the stack's chain)
  --sequencer-rpc <url>   replica: where transactions are forwarded (default: the manifest's)
  --sequencer-p2p <addr>  replica: the sequencer's libp2p multiaddr for unsafe blocks (default: the manifest's)
  --beacon <url>          beacon API for blobs (default: the L1 URL)
  --ipfs <url>            IPFS peer HTTP API: where derivation and a pinner read batches (default: the manifest's)
  --poll <ms>             how often the chain's inbox is read (default: 1000 replica, 2000 verify and pin)
  --port <n>              the operator's HTTP port (default 8660; 0 = any)
  --rpc-port <n>          the replica's JSON-RPC port (default 0 = any)
  --settle-every <n>      vouchers per L1 settlement (default 24)
  --challenger-key <hex>  replica and verify: challenge an output the operator cannot reproduce on SeedPortal,
                          paying the chain's bond from this key (prefer env CHALLENGER_KEY: arguments are
                          visible to other local users). Without one a mismatch is reported, not challenged
  --validation-registry <addr>  verify: the ERC-8004 Validation registry (default: Seed's)

${KEY}

${COMMON}`,
  status: `seed-operator status <bountyId> — a slot as the escrow and this operator see it

Prints the bounty's terms, the slot of --agent-id (default: the key's), what the escrow paid, with --data-dir
the best voucher held but not claimed yet, and the work's progress: batches posted on the chain's inbox; for
verify, the windows asked of this key and answered on the Validation registry, and the last batch validated;
from the running operator (--url), its own report (a replica's head, batches pinned), or running: false.

  --agent-id <id>     the slot's agent
  --data-dir <dir>    the run's data directory
  --url <url>         the running operator (default http://127.0.0.1:8660)

${KEY}

${COMMON}`,
}

type Manifest = {
  l1?: { rpcUrl?: string; chainId?: number }
  rollup?: { genesis?: string; rpcUrl?: string; p2p?: string }
  contracts?: { rollupInbox?: string }
  services?: { ipfsHttp?: string }
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        l1: { type: 'string' },
        escrow: { type: 'string' },
        identity: { type: 'string' },
        manifest: { type: 'string' },
        kind: { type: 'string' },
        ipfs: { type: 'string' },
        'agent-id': { type: 'string' },
        'agent-uri': { type: 'string' },
        'key-file': { type: 'string' },
        'data-dir': { type: 'string' },
        genesis: { type: 'string' },
        'sequencer-rpc': { type: 'string' },
        'sequencer-p2p': { type: 'string' },
        beacon: { type: 'string' },
        port: { type: 'string' },
        'rpc-port': { type: 'string' },
        'settle-every': { type: 'string' },
        poll: { type: 'string' },
        'challenger-key': { type: 'string' },
        'validation-registry': { type: 'string' },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (e) {
    usage('', (e as Error).message)
  }
}

function usage(command: string, error?: string): never {
  if (error) console.error(`error: ${error}\n`)
  console.log(HELP[command in HELP ? command : ''])
  process.exit(error ? 2 : 0)
}

const { values, positionals } = parse()
const command = positionals[0] ?? ''
if (values.help || !command) usage(command in HELP ? command : '')
if (!(command in HELP)) usage('', `unknown command ${command}`)

const manifest = readManifest(values.manifest)
const l1Url = values.l1 ?? manifest?.l1?.rpcUrl
if (!l1Url) usage(command, '--l1 <rpc> is required without a devnet manifest')
const escrow = address('--escrow', values.escrow) ?? seedBountyEscrow()
const identity = address('--identity', values.identity) ?? seedErc8004Registries().identity
const bountyId = command === 'find' ? 0n : uint('<bountyId>', positionals[1], true)!
const agentIdOption = uint('--agent-id', values['agent-id'])
const validationRegistry = address('--validation-registry', values['validation-registry'])
const challengerKey = values['challenger-key'] ?? process.env.CHALLENGER_KEY
if (challengerKey !== undefined && (!isHex(challengerKey) || challengerKey.length !== 66))
  usage(command, '--challenger-key must be 32 bytes of hex (0x…)')
const kind = values.kind as BountyKind | undefined
if (kind && !BOUNTY_KINDS.includes(kind)) usage(command, `--kind must be one of ${BOUNTY_KINDS.join(', ')}`)

try {
  const chainId = await createPublicClient({ transport: http(l1Url) }).getChainId()
  const chain = defineChain({
    id: chainId,
    name: `L1 ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [l1Url] } },
  })
  const key = command === 'find' ? undefined : privateKeyToAccount(operatorKey())
  const client = createPublicClient({ chain, transport: http(l1Url) })
  const wallet = () => createWalletClient({ chain, transport: http(l1Url), account: key! })
  const print = (value: unknown) => console.log(toWireJson(value))
  const joinedAgentId = async () => {
    if (agentIdOption !== undefined) return agentIdOption
    const [log] = await getContractEvents(client, {
      address: escrow,
      abi: SeedBountyEscrowAbi,
      eventName: 'BountyJoined',
      args: { bountyId, operator: key!.address },
      fromBlock: 0n,
      strict: true,
    })
    if (!log) throw new OperatorError(`this key has not joined bounty ${bountyId} (seed-operator join ${bountyId})`)
    return log.args.agentId
  }
  switch (command) {
    case 'find': {
      const ipfsUrl = values.ipfs ?? manifest?.services?.ipfsHttp
      for (const b of await findBounties(client, { escrow, identity, kind, ipfsUrl })) print(b)
      break
    }
    case 'join': {
      const agentURI = values['agent-uri']
      print(await joinBounty(wallet(), { escrow, identity, bountyId, agentId: agentIdOption, agentURI }))
      break
    }
    case 'status': {
      const agentId = await joinedAgentId()
      const bounty = await readBounty(client, { escrow, bountyId })
      const slot = await readBountySlot(client, { escrow, bountyId, agentId })
      const held = values['data-dir']
        ? fileVoucherStore(`${values['data-dir']}/operator-vouchers.json`).latest(bountyId, agentId)?.cumulativeAmount
        : undefined
      const progress = await readProgress(client, {
        bounty,
        operator: slot?.operator ?? key!.address,
        operatorUrl: values.url ?? 'http://127.0.0.1:8660',
        validation: validationRegistry,
      })
      print({
        bounty,
        agentId,
        slot,
        voucherHeld: held,
        unclaimed: held !== undefined && slot ? held - slot.claimed : undefined,
        progress,
      })
      break
    }
    case 'run': {
      const dataDir = values['data-dir']
      if (!dataDir) usage('run', '--data-dir is required')
      const agentId = await joinedAgentId()
      const bounty = await readBounty(client, { escrow, bountyId })
      const stackChain = manifest?.contracts?.rollupInbox?.toLowerCase() === bounty.inbox.toLowerCase()
      const running = await runOperator({
        l1: wallet(),
        key: key!,
        validatorKey: operatorKey(),
        challengerKey: challengerKey as Hex | undefined,
        validationRegistry,
        escrow,
        bountyId,
        agentId,
        port: Number(values.port ?? 8660),
        settleEvery: values['settle-every'] ? Number(uint('--settle-every', values['settle-every'])) : undefined,
        replica: {
          'data-dir': dataDir,
          l1: l1Url,
          manifest: values.manifest,
          genesis: values.genesis ?? (stackChain ? manifest?.rollup?.genesis : undefined),
          'sequencer-rpc': values['sequencer-rpc'] ?? (stackChain ? manifest?.rollup?.rpcUrl : undefined),
          'sequencer-p2p': values['sequencer-p2p'] ?? (stackChain ? manifest?.rollup?.p2p : undefined),
          beacon: values.beacon,
          ipfs: values.ipfs ?? manifest?.services?.ipfsHttp,
          poll: values.poll,
          port: values['rpc-port'] ?? '0',
        },
        onEvent: print,
      })
      print({ event: 'listening', url: running.url, rpc: running.rpcUrl, bountyId, agentId })
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      await running.stop()
      break
    }
  }
} catch (error) {
  const e = error as Error & { shortMessage?: string; details?: string }
  console.error(`error: ${e.shortMessage ?? e.message}${e.details ? ` (${e.details})` : ''}`)
  process.exitCode = 1
}

function operatorKey(): Hex {
  const raw = (values['key-file'] ? readFileSync(values['key-file'], 'utf8') : process.env.SEED_OPERATOR_KEY)?.trim()
  if (!raw || !isHex(raw) || raw.length !== 66) usage(command, 'the operator key is missing or not a 32-byte hex key')
  return raw
}

function address(name: string, value: string | undefined): Address | undefined {
  if (value === undefined) return undefined
  if (!isAddress(value)) usage(command, `${name} is not an address`)
  return value
}

function uint(name: string, value: string | undefined, required = false): bigint | undefined {
  if (value === undefined) {
    if (required) usage(command, `${name} is required`)
    return undefined
  }
  if (!/^[0-9]{1,30}$/.test(value)) usage(command, `${name} must be a whole number`)
  return BigInt(value)
}

function readManifest(path?: string): Manifest | undefined {
  const file = path ?? process.env.SEED_MANIFEST ?? new URL('../../../.seed/devnet.json', import.meta.url).pathname
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest
  } catch {
    if (path) usage(command, `cannot read manifest ${path}`)
    return undefined
  }
}
