/**
 * `rollup-lite verify`: re-derives the L2 chain from L1 (blobs) and/or IPFS into a fresh store
 * and checks every output root posted on the inbox. Exit code 0 = all match, 1 = divergence.
 * With `--watch` it keeps following the inbox and challenges mismatches (challenger/watch-cli.ts).
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { type Address, createPublicClient, http, isAddress } from 'viem'
import { loadNativeKzg } from '../chain/native-kzg.ts'
import { loadNodeCrypto } from '../node/native-crypto.ts'
import { parseGenesis } from '../protocol/genesis-file.ts'
import { readInboxHead } from '../protocol/inbox.ts'
import { openLevelKv } from '../state/level-kv.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { runWatch } from './challenger/watch-cli.ts'
import { deriveChain } from './derive.ts'
import { createKzgThreads } from './kzg-threads.ts'
import { createSenderRecovery } from './recovery.ts'
import { createRecoverThreads } from './recovery-threads.ts'
import { createReplayExecutor } from './replay.ts'

export const VERIFY_HELP = `Usage: rollup-lite verify --l1 <rpc> --genesis <file> [--inbox <address>] [--ipfs <url>] [--beacon <url>]
                          [--beacon-genesis <unix seconds>] [--slot-seconds <n>] [--deposits [--portal <address>]]

Rebuilds the rollup from genesis using only data published on L1 and IPFS, re-executes every
block and compares each output root posted on the inbox. Stops at the first divergence.

Options:
  --l1 <rpc>          L1 JSON-RPC URL (e.g. http://127.0.0.1:8545)
  --genesis <file>    The L2 genesis JSON the sequencer started from
  --inbox <address>   RollupInbox address (default: contracts.rollupInbox of the devnet manifest)
  --beacon <url>      Beacon API base for blobs (default: the --l1 URL, as anvil serves it; "none" to skip).
                      Blobs are read by slot, from the L1 block's time and the beacon genesis and slot length
  --beacon-genesis <unix seconds>
                      Beacon genesis time, for a node without /eth/v1/beacon/genesis (default: the node's,
                      else the manifest's l1.beaconSlots)
  --slot-seconds <n>  Slot length, for a node without /eth/v1/config/spec (default: the node's, else the
                      manifest's; neither: the node names blocks by number, as anvil does)
  --ipfs <url>        IPFS peer HTTP API (GET /ipfs/<cid>) (default: services.ipfsHttp of the manifest)
  --no-ipfs           Do not use IPFS (blobs only)
  --data-dir <dir>    Derive into a LevelDB directory instead of memory
  --deposits          A bridged chain (SPEC §10): check its blocks' L1 origins (force window from the portal's
                      BridgeConfigRegistered log, §10.2) and replay the portal's deposits they move past. Needed
                      for every chain with deposits: the stack's peer, an agent's embedded chain
  --portal <address>  SeedPortal address with --deposits (default: Seed's deterministic one)
  --manifest <file>   Devnet manifest (default: $SEED_MANIFEST or .seed/devnet.json)
  -h, --help          Show this help

Watching (issue 15: automatic challenges; issue 17: ERC-8004 validation):
  --watch             Keep following the inbox instead of stopping at the first divergence: every batch
                      posted is re-derived and a verdict printed on stdout, one JSON line each:
                        ok                  the posted output root is the derived one
                        challenged          it differs (or the batch is invalid): challengeOutput sent on
                                            SeedPortal with the chain's bond (txHash, bond)
                        already-challenged  a mismatch already under challenge or resolved valid: no second bond
                                            (the on-chain state is read first, so restarts never double-challenge)
                        window-passed       a mismatch found after its challenge window closed
                        mismatch            a mismatch not challenged (no challenger key, or no bridge config)
                        unavailable         no data for the batch yet (retried)
                        rolled-back         the guardians resolved an output invalid: derivation drops batches from
                                            that index and continues with what is posted there next
                        validation-response / validation-skipped   (with --validator-key)
                      Exits 0 on SIGINT/SIGTERM (and, started by a Node parent with an IPC channel, when that
                      channel closes: the parent died), 1 only on the watcher's own failure (5 polls failing in a row).
  --once              With --watch: one pass over what is posted now, then exit
  --poll-ms <n>       With --watch: milliseconds between polls (default 4000)
  --challenger-key <hex>
                      Key that sends challenges and pays their bonds (prefer env CHALLENGER_KEY: arguments are
                      visible to other local users). Without one, mismatches are reported, not challenged.
  --validator-key <hex>
                      Key of a registered ERC-8004 agent (prefer env VALIDATOR_KEY): answers validationRequest
                      naming it (a seed-rollup-outputs-v1 request for a range of this inbox's batches) with
                      validationResponse once the range is re-derived: 100 if every output matches, else 0
  --validation-registry <address>
                      ERC-8004 Validation registry (default: Seed's deterministic one)`

export async function runVerify(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      l1: { type: 'string' },
      genesis: { type: 'string' },
      inbox: { type: 'string' },
      beacon: { type: 'string' },
      'beacon-genesis': { type: 'string' },
      'slot-seconds': { type: 'string' },
      ipfs: { type: 'string' },
      'no-ipfs': { type: 'boolean' },
      'data-dir': { type: 'string' },
      deposits: { type: 'boolean' },
      portal: { type: 'string' },
      manifest: { type: 'string' },
      watch: { type: 'boolean' },
      once: { type: 'boolean' },
      'poll-ms': { type: 'string' },
      'challenger-key': { type: 'string' },
      'validator-key': { type: 'string' },
      'validation-registry': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(VERIFY_HELP)
    return 0
  }
  const manifest = readManifestIfAny(values.manifest)
  const l1Url = values.l1 ?? manifest?.l1?.rpcUrl
  const inbox = (values.inbox ?? manifest?.contracts?.rollupInbox) as Address | undefined
  if (!l1Url || !inbox || !values.genesis) {
    console.error(`error: --l1, --inbox (or a devnet manifest) and --genesis are required\n\n${VERIFY_HELP}`)
    return 2
  }
  const beaconUrl = values.beacon === 'none' ? undefined : (values.beacon ?? manifest?.l1?.beaconUrl ?? l1Url)
  const beacon = {
    genesisTime: numberOption(values['beacon-genesis']) ?? manifest?.l1?.beaconSlots?.genesisTime,
    secondsPerSlot: numberOption(values['slot-seconds']) ?? manifest?.l1?.beaconSlots?.secondsPerSlot,
  }
  const ipfsUrl = values['no-ipfs'] ? undefined : (values.ipfs ?? manifest?.services?.ipfsHttp)
  if (values.portal !== undefined && !isAddress(values.portal)) {
    console.error(`error: --portal is not an address: ${values.portal}\n\n${VERIFY_HELP}`)
    return 2
  }
  const bridge = values.deposits || values.portal ? { portal: values.portal as Address | undefined } : undefined
  const genesis = parseGenesis(JSON.parse(readFileSync(values.genesis, 'utf8')))
  if (values.watch) {
    if (values['data-dir']) {
      console.error('error: --watch derives in memory (it restarts derivation after a rollback); drop --data-dir')
      return 2
    }
    const recovery = createSenderRecovery(await loadNodeCrypto(), createRecoverThreads())
    const kzgThreads = createKzgThreads()
    try {
      return await runWatch({
        l1: createPublicClient({ transport: http(l1Url, { timeout: 60_000 }) }),
        l1Url,
        inbox,
        chainId: BigInt(genesis.chainId),
        createExecutor: () => createReplayExecutor({ kv: memoryKv(), genesis, serving: false }),
        beaconUrl,
        beacon,
        ipfsUrl,
        bridge,
        recovery,
        kzg: kzgThreads ?? loadNativeKzg(),
        challengerKey: values['challenger-key'] ?? process.env.CHALLENGER_KEY,
        validatorKey: values['validator-key'] ?? process.env.VALIDATOR_KEY,
        validationRegistry: values['validation-registry'] as Address | undefined,
        pollingInterval: numberOption(values['poll-ms']) ?? 4_000,
        once: values.once === true,
      })
    } finally {
      await recovery.close()
      await kzgThreads?.close()
    }
  }
  const kv = values['data-dir'] ? await openLevelKv(values['data-dir']) : memoryKv()
  const l1 = createPublicClient({ transport: http(l1Url, { timeout: 60_000 }) })
  const { count } = await readInboxHead(l1, inbox)
  console.error(
    `verify: inbox ${inbox} holds ${count} batches; sources: ${[beaconUrl && `blobs (${beaconUrl})`, ipfsUrl && `IPFS (${ipfsUrl})`].filter(Boolean).join(', ')}`,
  )
  const started = performance.now()
  // Node: senders recovered and blob commitments computed on worker threads (native
  // libsecp256k1, c-kzg), off the thread that executes.
  const recovery = createSenderRecovery(await loadNodeCrypto(), createRecoverThreads())
  const kzgThreads = createKzgThreads()
  const result = await deriveChain({
    l1,
    inbox,
    chainId: BigInt(genesis.chainId),
    // In memory nothing will serve the derived chain: skip receipts and indexes.
    executor: await createReplayExecutor({ kv, genesis, serving: Boolean(values['data-dir']) }),
    beaconUrl,
    beacon,
    ipfsUrl,
    bridge,
    recovery,
    kzg: kzgThreads ?? loadNativeKzg(),
    onProgress: (e) => {
      if (e.type === 'batch') {
        console.error(
          `  batch ${e.index}: ${e.blocks} blocks, ${e.txs} txs from ${e.source} → block ${e.head.number}, output root ok`,
        )
      } else if (e.type === 'warning') console.error(`  batch ${e.index}: ${e.message}`)
    },
  })
  await recovery.close()
  await kzgThreads?.close()
  await kv.close()
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const summary = {
    ok: result.ok,
    batches: result.batches,
    blocks: result.blocks,
    txs: result.txs,
    head: { number: result.head.number.toString(), hash: result.head.hash, stateRoot: result.head.stateRoot },
    seconds: Number(seconds),
    divergence: result.divergence && {
      ...result.divergence,
      batchIndex: result.divergence.batchIndex.toString(),
      l2Block: result.divergence.l2Block.toString(),
    },
  }
  console.log(JSON.stringify(summary))
  if (!result.ok) {
    const d = result.divergence!
    console.error(`verify: DIVERGENCE at batch ${d.batchIndex}, L2 block ${d.l2Block}: ${d.reason}`)
    return 1
  }
  console.error(
    `verify: ok — ${result.blocks} blocks, ${result.txs} txs re-executed in ${seconds} s; state root ${result.head.stateRoot}`,
  )
  return 0
}

type ManifestLike = {
  l1?: { rpcUrl?: string; beaconUrl?: string; beaconSlots?: { genesisTime?: number; secondsPerSlot?: number } }
  contracts?: { rollupInbox?: string }
  services?: { ipfsHttp?: string }
}

function numberOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new Error(`not a whole number: ${value}`)
  return Number(value)
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
