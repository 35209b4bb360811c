/**
 * The stack's rollup peer: a rollup-lite node in its own process (LevelDB, HTTP/WS JSON-RPC) that
 * sequences, batches to the L1 inbox as blobs and pins every batch on the IPFS peer. Its genesis
 * funds the devnet roles and predeploys Seed USD (same address as on L1) and Multicall3 for x402, and
 * the bridge's message passer and L2 standard bridge (SPEC §10) for its inbox. A bridged chain: it
 * includes the portal's deposits to its inbox (`--deposits`), under the chain id the RollupInboxFactory
 * registered for that inbox (SPEC §0), like every agent's chain.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { l2BridgePredeploys } from '@seed/contracts'
import { x402RollupAlloc } from '@seed/x402'
import type { Address, PublicClient } from 'viem'
import { devAccount, devPrivateKey, ROLES } from './accounts.ts'
import type { Manifest } from './manifest.ts'
import { assertPortFree, freePort } from './ports.ts'
import { rpcOk, type Service, startService, waitHealthy } from './processes.ts'

const require = createRequire(import.meta.url)
const ETH = 10n ** 18n
const USD = 10n ** 6n

export type RollupPeerOptions = {
  l1: PublicClient
  l1RpcUrl: string
  contracts: Manifest['contracts']
  /** The chain id the RollupInboxFactory registered for `contracts.rollupInbox` (`chainIdOf`). */
  chainId: number
  ipfsHttp: string
  /** The IPFS peer's libp2p /ws multiaddr: batches go there from the node's own Helia (HTTP as fallback). */
  ipfsPeer?: string
  port?: number
  /** Post a batch at the latest this long after its first block (dev: short, so batches show up). */
  batchMaxWaitMs?: number
  blockTimeMs?: number
}

export async function startRollupPeer(
  o: RollupPeerOptions,
): Promise<{ service: Service; rpcUrl: string; chainId: number; genesis: string; p2p: string }> {
  const port = o.port ?? (await freePort())
  // Replicas (`rollup-lite node --follow`) dial this for the unsafe blocks the node gossips.
  const p2p = `/ip4/127.0.0.1/tcp/${await freePort()}/ws`
  if (o.port) await assertPortFree(port, 'rollup node')
  const roles = Object.keys(ROLES).map((role) => devAccount(role as keyof typeof ROLES).address)
  const alloc: Record<string, { balance?: string; nonce?: number; code?: string; storage?: Record<string, string> }> =
    {}
  for (const address of roles) alloc[address] = { balance: `${10_000n * ETH}` }
  const predeploys = await x402RollupAlloc(o.l1, {
    address: o.contracts.usd,
    owner: devAccount('deployer').address,
    balances: Object.fromEntries(roles.map((a) => [a, 1_000_000n * USD])) as Record<Address, bigint>,
  })
  for (const [address, a] of Object.entries(predeploys)) {
    alloc[address] = { ...alloc[address], code: a.code, storage: a.storage }
  }
  // A bridged (v2) chain: its withdrawals are proven against the outputs its batches post to this inbox.
  Object.assign(alloc, l2BridgePredeploys({ inbox: o.contracts.rollupInbox }))
  const dataDir = mkdtempSync(join(tmpdir(), 'seed-rollup-'))
  const genesisPath = join(dataDir, 'genesis.json')
  writeFileSync(genesisPath, JSON.stringify({ chainId: o.chainId, timestamp: Math.floor(Date.now() / 1000), alloc }))

  const cli = join(dirname(require.resolve('@seed/rollup-lite/package.json')), 'bin', 'rollup-lite.mjs')
  const service = startService(
    'rollup node',
    process.execPath,
    [
      cli,
      'node',
      '--data-dir',
      join(dataDir, 'chain'),
      '--genesis',
      genesisPath,
      '--port',
      String(port),
      '--block-time',
      String(o.blockTimeMs ?? 1000),
      '--batch-l1',
      o.l1RpcUrl,
      '--batch-inbox',
      o.contracts.rollupInbox,
      '--batch-ipfs',
      [o.ipfsPeer, o.ipfsHttp].filter(Boolean).join(','),
      '--batch-max-wait',
      String(o.batchMaxWaitMs ?? 10_000),
      '--p2p-listen',
      p2p,
      // Deposits to the inbox (the web app's Bridge page, the wallet) are minted here (SPEC §10.2).
      '--deposits',
    ],
    { env: { SEQUENCER_KEY: devPrivateKey('sequencer') }, tempDirs: [dataDir] },
  )
  const rpcUrl = `http://127.0.0.1:${port}`
  await waitHealthy(service, () => rpcOk(rpcUrl, 'eth_chainId'), 30_000)
  return { service, rpcUrl, chainId: o.chainId, genesis: genesisPath, p2p }
}
