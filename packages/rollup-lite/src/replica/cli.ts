/**
 * `rollup-lite node --follow <inbox>`: runs a replica (follow.ts) with its HTTP/WS JSON-RPC, and
 * `rollup-lite node --p2p-listen <multiaddr>`: a sequencer that gossips its unsafe blocks.
 */
import { readFileSync } from 'node:fs'
import { type Address, createPublicClient, type Hex, http, isAddress, isAddressEqual } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { loadNativeKzg } from '../chain/native-kzg.ts'
import type { RollupNode } from '../create-node.ts'
import { type OutputVerdict, verdictJson } from '../derive/challenger/verdict.ts'
import { keyAddress, l1Sender, watchOutputsLogged } from '../derive/challenger/watch-process.ts'
import { createKzgThreads } from '../derive/kzg-threads.ts'
import { createSenderRecovery } from '../derive/recovery.ts'
import { createRecoverThreads } from '../derive/recovery-threads.ts'
import { createReplayExecutor } from '../derive/replay.ts'
import { loadNodeCrypto } from '../node/native-crypto.ts'
import { type RpcServer, startRpcServer } from '../node/server.ts'
import { readBridgeActivation } from '../protocol/bridge/portal.ts'
import { parseGenesis } from '../protocol/genesis-file.ts'
import { openLevelKv } from '../state/level-kv.ts'
import { memoryKv } from '../state/memory-kv.ts'
import {
  checkRegisteredSequencer,
  type FollowTarget,
  readAgentFollowInfo,
  readFollowInfoFile,
  resolveFollowTarget,
} from './agent-target.ts'
import { type Replica, startReplica } from './follow.ts'
import { forwardToSequencer, noSequencerRpc } from './forward.ts'
import { startBlockGossip } from './gossip.ts'
import { publishUnsafeBlocks } from './publisher.ts'

export const FOLLOW_HELP = `Usage: rollup-lite node --follow <inbox> --data-dir <dir> --genesis <file> [options]
       rollup-lite node --agent <id> --data-dir <dir> [options]
       rollup-lite node --registration <file> --data-dir <dir> [options]

Runs a read-only replica of the chain whose batches land on <inbox>: it re-derives every batch from
L1 blobs and IPFS (safe / finalized), applies the sequencer's signed unsafe blocks received over
libp2p gossipsub (latest), serves the standard JSON-RPC and forwards eth_sendRawTransaction to the
sequencer. Restarted on the same --data-dir, it resumes and catches up from L1 + IPFS.

With --agent (or --registration), the agent's ERC-8004 registration file names the inbox, the
rollup's genesis (by IPFS CID), its sequencer key and bootstrap peers: this is how a replica of an
agent's embedded chain (a browser wallet's) starts from the agent id alone.

Options:
  --follow <inbox>        RollupInbox address of the chain (its sequencer() signs the unsafe blocks)
  --agent <id>            Follow the chain of this ERC-8004 agent (its registration file's rollup services)
  --identity <address>    The identity registry (default: Seed's deterministic one)
  --registration <file>   Follow the chain a local registration file names
  --data-dir <dir>        LevelDB directory of the replica (created if missing)
  --genesis <file>        The chain's genesis JSON (default with --agent: the registration's, from IPFS)
  --sequencer-rpc <url>   Where eth_sendRawTransaction is forwarded (default: the registration's rollup-rpc;
                          without one, transactions are refused with a JSON-RPC error)
  --sequencer-p2p <addr>  A libp2p multiaddr that gossips the unsafe blocks (the sequencer, or a replica
                          relaying them), added to the registration's peers; without any the replica
                          follows L1 only
  --p2p-listen <addr>     Listen for gossip peers too (e.g. /ip4/0.0.0.0/tcp/9101/ws): a browser's sequencer
                          and other replicas dial it, and it relays the blocks it accepted
  --l1 <rpc>              L1 JSON-RPC URL (default: the devnet manifest's)
  --beacon <url>          Beacon API for blobs (default: the --l1 URL; "none" = IPFS only)
  --ipfs <url>            IPFS peer HTTP API (default: the manifest's services.ipfsHttp; "none" = blobs only)
  --deposits              A bridged chain (its sequencer runs with --deposits): check each block's L1 origin and
                          execute the portal's deposits it moves past, from L1 and in gossiped blocks (SPEC.md §10.2)
                          (with --agent or --registration: on once the portal has the inbox's bridge config)
  --portal <addr>         SeedPortal address (default: Seed's deterministic one)
  --poll <ms>             How often to look for new batches on L1 (default 1000)
  --challenger-key <hex>  Watch every output posted on the inbox as \`verify --watch\` does and challenge one the
                          replica cannot reproduce, paying the chain's bond from this key (prefer env
                          CHALLENGER_KEY: arguments are visible to other local users). Verdicts go to stderr,
                          one \`replica: {"verdict":…}\` line each (ok, challenged, already-challenged, …; see
                          rollup-lite verify --help). Without a key no output is challenged: a mismatch shows
                          only as the replica's derive-error
  --port <n>              JSON-RPC port (default 8547; 0 = any free port)
  --host <addr>           Listen address (default 127.0.0.1)
  --manifest <file>       Devnet manifest (default: $SEED_MANIFEST or .seed/devnet.json)
  -h, --help              Show this help`

export type FollowCliValues = {
  follow?: string
  'data-dir'?: string
  genesis?: string
  'sequencer-rpc'?: string
  'sequencer-p2p'?: string
  'p2p-listen'?: string
  agent?: string
  identity?: string
  registration?: string
  l1?: string
  beacon?: string
  ipfs?: string
  poll?: string
  port?: string
  host?: string
  manifest?: string
  deposits?: boolean
  portal?: string
  /** The CLI fills it from CHALLENGER_KEY when the flag is absent, as `verify --watch` does. */
  'challenger-key'?: string
}

type ManifestLike = { l1?: { rpcUrl?: string; beaconUrl?: string }; services?: { ipfsHttp?: string } }

/** Starts the replica; prints one JSON line `{"event":"listening",…}`; resolves with its stop. */
export async function runFollow(values: FollowCliValues): Promise<(() => Promise<void>) | undefined> {
  const follower = await startFollower(values)
  if (!follower) return undefined
  const { replica, server, gossip } = follower
  console.log(
    JSON.stringify({
      event: 'listening',
      url: server.url,
      ws: server.wsUrl,
      chainId: replica.chain.chainId.toString(),
      head: replica.chain.head().header.number.toString(),
      safe: replica.chain.safe().header.number.toString(),
      follow: follower.inbox,
      ...(gossip && { p2p: gossip.multiaddrs(), peerId: gossip.peerId() }),
    }),
  )
  return follower.stop
}

export type Follower = {
  replica: Replica
  server: RpcServer
  inbox: Address
  gossip: Awaited<ReturnType<typeof startBlockGossip>> | undefined
  stop(): Promise<void>
}

/**
 * The replica `--follow` runs, with its JSON-RPC server, for tools that embed one (`seed-operator run`):
 * undefined (usage printed, exit code 2) when a required option is missing.
 */
export async function startFollower(values: FollowCliValues): Promise<Follower | undefined> {
  const manifest = readManifestIfAny(values.manifest)
  const l1Url = values.l1 ?? manifest?.l1?.rpcUrl
  const ipfsUrl = values.ipfs === 'none' ? undefined : (values.ipfs ?? manifest?.services?.ipfsHttp)
  const byAgent = values.agent !== undefined || values.registration !== undefined
  const inbox = values.follow
  const usage = (problem: string) => {
    console.error(`error: ${problem}\n\n${FOLLOW_HELP}`)
    process.exitCode = 2
    return undefined
  }
  if (!values['data-dir'] || !l1Url) return usage('--data-dir and --l1 (or a manifest) are required')
  if (values.portal !== undefined && !isAddress(values.portal))
    return usage(`--portal is not an address: ${values.portal}`)
  if (values.agent !== undefined && !/^[0-9]{1,78}$/.test(values.agent))
    return usage('--agent takes an agent id (a number)')
  if (values.identity !== undefined && !isAddress(values.identity)) return usage('--identity takes an address')
  const challengerKey = values['challenger-key']
  const challenger = challengerKey === undefined ? undefined : keyAddress(challengerKey)
  if (challenger === null) return usage('--challenger-key must be 32 bytes of hex (0x…)')
  if (!byAgent && (!inbox || !isAddress(inbox) || !values.genesis)) {
    return usage('--follow <inbox address> and --genesis (or --agent <id>) are required')
  }
  const l1 = createPublicClient({ transport: http(l1Url, { timeout: 60_000 }) })
  const peers = values['sequencer-p2p'] ? [values['sequencer-p2p']] : []
  let target: FollowTarget
  if (byAgent) {
    const info = values.registration
      ? readFollowInfoFile(values.registration)
      : await readAgentFollowInfo(l1, {
          agentId: BigInt(values.agent!),
          identity: values.identity as Address | undefined,
          ipfsUrl,
        })
    if (inbox && (!isAddress(inbox) || !isAddressEqual(inbox, info.inbox))) {
      return usage(`--follow ${inbox} is not the agent's inbox ${info.inbox}`)
    }
    target = await resolveFollowTarget(l1, info, {
      genesisFile: values.genesis,
      ipfsUrl,
      peers,
      sequencerRpc: values['sequencer-rpc'],
    })
    const stale = await checkRegisteredSequencer(l1, target).catch((e: Error) => `sequencer(): ${e.message}`)
    if (stale) console.error(`replica: ${stale}`)
  } else {
    target = {
      inbox: inbox as Address,
      genesis: parseGenesis(JSON.parse(readFileSync(values.genesis!, 'utf8'))),
      peers,
      ...(values['sequencer-rpc'] ? { sequencerRpc: values['sequencer-rpc'] } : {}),
    }
  }
  const { genesis } = target
  // An agent's chain follows its deposits once its bridge config is registered (SPEC §10.2): the file does not say,
  // the portal does.
  const bridged =
    values.deposits ||
    (byAgent &&
      (await readBridgeActivation(l1, { inbox: target.inbox, portal: values.portal as Address | undefined })) !==
        undefined)
  const crypto = await loadNodeCrypto()
  const recovery = createSenderRecovery(crypto, createRecoverThreads())
  const kzgThreads = createKzgThreads()
  const listen = values['p2p-listen']
  const gossip =
    target.peers.length > 0 || listen
      ? await startBlockGossip({
          chainId: BigInt(genesis.chainId),
          peers: target.peers,
          listen: listen ? [listen] : [],
        })
      : undefined
  const sources = {
    l1,
    inbox: target.inbox,
    beaconUrl: values.beacon === 'none' ? undefined : (values.beacon ?? manifest?.l1?.beaconUrl ?? l1Url),
    ipfsUrl,
    bridge: bridged ? { portal: values.portal as Address | undefined } : undefined,
    recovery,
    kzg: kzgThreads ?? loadNativeKzg(),
  }
  const pollMs = values.poll ? Number(values.poll) : 1_000
  const replica = await startReplica({
    ...sources,
    kv: await openLevelKv(values['data-dir']),
    genesis,
    crypto,
    forward: target.sequencerRpc ? forwardToSequencer(target.sequencerRpc) : noSequencerRpc,
    gossip,
    pollMs,
    onEvent: (e) => {
      if (e.type === 'dropped' || e.type === 'reorg' || e.type === 'derive-error') {
        console.error(`replica: ${JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`)
      }
    },
  })
  const server = await startRpcServer(replica.chain.rpc, {
    port: Number(values.port ?? 8547),
    host: values.host ?? '127.0.0.1',
  })
  // The output watcher (issue 15) derives on its own executor: it must see each batch as posted, and restart
  // from genesis after a rollback, whatever the replica serves meanwhile.
  const stopWatching = new AbortController()
  const watching =
    challenger &&
    watchOutputsLogged({
      ...sources,
      label: 'replica: output watch',
      chainId: BigInt(genesis.chainId),
      createExecutor: () => createReplayExecutor({ kv: memoryKv(), genesis, serving: false }),
      send: l1Sender(l1, l1Url, challengerKey as Hex),
      onVerdict: (v: OutputVerdict) => console.error(`replica: ${verdictJson(v)}`),
      pollingInterval: pollMs,
      signal: stopWatching.signal,
    }).then((outcome) => {
      if (outcome === 'failed') console.error('replica: the output watcher gave up: outputs are no longer watched')
    })
  if (challenger) console.error(`replica: watching outputs on ${target.inbox}; challenging from ${challenger}`)
  return {
    replica,
    server,
    inbox: target.inbox,
    gossip,
    async stop() {
      stopWatching.abort()
      await watching
      await server.close()
      await gossip?.stop()
      await replica.close()
      await recovery.close()
      await kzgThreads?.close()
    },
  }
}

/** The sequencer's side of `--p2p-listen`: gossip each sealed block signed with SEQUENCER_KEY. */
export async function startSequencerGossip(
  node: RollupNode,
  listen: string,
  sequencerKey: Hex,
): Promise<{ multiaddrs: string[]; stop(): Promise<void> }> {
  const gossip = await startBlockGossip({ chainId: node.chainId, listen: [listen] })
  const unsubscribe = publishUnsafeBlocks(node, gossip, sequencerKey, (e) =>
    console.error(`rollup-lite: gossip publish failed: ${e.message}`),
  )
  console.error(`rollup-lite: gossiping unsafe blocks signed by ${privateKeyToAddress(sequencerKey)}`)
  return {
    multiaddrs: gossip.multiaddrs(),
    async stop() {
      unsubscribe()
      await gossip.stop()
    },
  }
}

function readManifestIfAny(path?: string): ManifestLike | undefined {
  const file = path ?? process.env.SEED_MANIFEST ?? new URL('../../../../.seed/devnet.json', import.meta.url).pathname
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ManifestLike
  } catch {
    if (path) throw new Error(`cannot read manifest ${path}`)
    return undefined
  }
}
