/**
 * `rollup-lite node --follow <inbox>`: runs a replica (follow.ts) with its HTTP/WS JSON-RPC, and
 * `rollup-lite node --p2p-listen <multiaddr>`: a sequencer that gossips its unsafe blocks.
 */
import { readFileSync } from 'node:fs'
import { type Address, createPublicClient, type Hex, http, isAddress } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { loadNativeKzg } from '../chain/native-kzg.ts'
import type { RollupNode } from '../create-node.ts'
import { createKzgThreads } from '../derive/kzg-threads.ts'
import { createSenderRecovery } from '../derive/recovery.ts'
import { createRecoverThreads } from '../derive/recovery-threads.ts'
import { loadNodeCrypto } from '../node/native-crypto.ts'
import { type RpcServer, startRpcServer } from '../node/server.ts'
import { parseGenesis } from '../protocol/genesis-file.ts'
import { openLevelKv } from '../state/level-kv.ts'
import { type Replica, startReplica } from './follow.ts'
import { forwardToSequencer } from './forward.ts'
import { startBlockGossip } from './gossip.ts'
import { publishUnsafeBlocks } from './publisher.ts'

export const FOLLOW_HELP = `Usage: rollup-lite node --follow <inbox> --data-dir <dir> --genesis <file> --sequencer-rpc <url> [options]

Runs a read-only replica of the chain whose batches land on <inbox>: it re-derives every batch from
L1 blobs and IPFS (safe / finalized), applies the sequencer's signed unsafe blocks received over
libp2p gossipsub (latest), serves the standard JSON-RPC and forwards eth_sendRawTransaction to the
sequencer. Restarted on the same --data-dir, it resumes and catches up from L1 + IPFS.

Options:
  --follow <inbox>        RollupInbox address of the chain (its sequencer() signs the unsafe blocks)
  --data-dir <dir>        LevelDB directory of the replica (created if missing)
  --genesis <file>        The chain's genesis JSON
  --sequencer-rpc <url>   Where eth_sendRawTransaction is forwarded
  --sequencer-p2p <addr>  The sequencer's libp2p multiaddr (e.g. /ip4/127.0.0.1/tcp/9100/ws); without it
                          the replica follows L1 only
  --l1 <rpc>              L1 JSON-RPC URL (default: the devnet manifest's)
  --beacon <url>          Beacon API for blobs (default: the --l1 URL; "none" = IPFS only)
  --ipfs <url>            IPFS peer HTTP API (default: the manifest's services.ipfsHttp; "none" = blobs only)
  --deposits              A bridged chain (its sequencer runs with --deposits): check each block's L1 origin and
                          execute the portal's deposits it moves past, from L1 and in gossiped blocks (SPEC.md §10.2)
  --portal <addr>         SeedPortal address (default: Seed's deterministic one)
  --poll <ms>             How often to look for new batches on L1 (default 1000)
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
  l1?: string
  beacon?: string
  ipfs?: string
  poll?: string
  deposits?: boolean
  portal?: string
  port?: string
  host?: string
  manifest?: string
}

type ManifestLike = { l1?: { rpcUrl?: string; beaconUrl?: string }; services?: { ipfsHttp?: string } }

/** Starts the replica; prints one JSON line `{"event":"listening",…}`; resolves with its stop. */
export async function runFollow(values: FollowCliValues): Promise<(() => Promise<void>) | undefined> {
  const follower = await startFollower(values)
  if (!follower) return undefined
  const { replica, server } = follower
  console.log(
    JSON.stringify({
      event: 'listening',
      url: server.url,
      ws: server.wsUrl,
      chainId: replica.chain.chainId.toString(),
      head: replica.chain.head().header.number.toString(),
      safe: replica.chain.safe().header.number.toString(),
      follow: values.follow,
    }),
  )
  return follower.stop
}

export type Follower = { replica: Replica; server: RpcServer; stop(): Promise<void> }

/**
 * The replica `--follow` runs, with its JSON-RPC server, for tools that embed one (`seed-operator run`):
 * undefined (usage printed, exit code 2) when a required option is missing.
 */
export async function startFollower(values: FollowCliValues): Promise<Follower | undefined> {
  const manifest = readManifestIfAny(values.manifest)
  const l1Url = values.l1 ?? manifest?.l1?.rpcUrl
  const inbox = values.follow
  if (values.portal !== undefined && !isAddress(values.portal)) {
    console.error(`error: --portal is not an address: ${values.portal}\n\n${FOLLOW_HELP}`)
    process.exitCode = 2
    return undefined
  }
  if (!inbox || !isAddress(inbox) || !values['data-dir'] || !values.genesis || !values['sequencer-rpc'] || !l1Url) {
    console.error(
      `error: --follow <inbox address>, --data-dir, --genesis, --sequencer-rpc and --l1 (or a manifest) are required\n\n${FOLLOW_HELP}`,
    )
    process.exitCode = 2
    return undefined
  }
  const genesis = parseGenesis(JSON.parse(readFileSync(values.genesis, 'utf8')))
  const crypto = await loadNodeCrypto()
  const recovery = createSenderRecovery(crypto, createRecoverThreads())
  const kzgThreads = createKzgThreads()
  const gossip = values['sequencer-p2p']
    ? await startBlockGossip({ chainId: BigInt(genesis.chainId), peers: [values['sequencer-p2p']] })
    : undefined
  const replica = await startReplica({
    kv: await openLevelKv(values['data-dir']),
    genesis,
    crypto,
    l1: createPublicClient({ transport: http(l1Url, { timeout: 60_000 }) }),
    inbox: inbox as Address,
    beaconUrl: values.beacon === 'none' ? undefined : (values.beacon ?? manifest?.l1?.beaconUrl ?? l1Url),
    ipfsUrl: values.ipfs === 'none' ? undefined : (values.ipfs ?? manifest?.services?.ipfsHttp),
    forward: forwardToSequencer(values['sequencer-rpc']),
    gossip,
    pollMs: values.poll ? Number(values.poll) : undefined,
    bridge: values.deposits ? { portal: values.portal as Address | undefined } : undefined,
    recovery,
    kzg: kzgThreads ?? loadNativeKzg(),
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
  return {
    replica,
    server,
    async stop() {
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
