/** Starts a durable node with its HTTP/WS server (what the CLI's `node` command does). */
import { readFile } from 'node:fs/promises'
import { type Address, createPublicClient, http } from 'viem'
import { type AttachBatcherOptions, attachBatcher } from '../batch/attach.ts'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import { parseGenesis } from '../protocol/genesis-file.ts'
import type { RpcLimits } from '../rpc/limits.ts'
import { portalDepositSource } from '../sequencer/deposit-feed.ts'
import { openLevelKv } from '../state/level-kv.ts'
import { loadNodeCrypto } from './native-crypto.ts'
import { createRecoverPool } from './recover-pool.ts'
import { type RpcServer, type RpcServerOptions, startRpcServer } from './server.ts'

export type NodeCliOptions = {
  port: number
  host: string
  dataDir: string
  genesisPath: string
  blockTime: number
  maxBlockTxs?: number
  /** Post batches to L1 (+ IPFS) from this node (issue 5: src/batch). */
  batcher?: AttachBatcherOptions
  /** Include the portal's deposits of `inbox` (SPEC.md §10.2), reading L1 at `l1RpcUrl`. */
  deposits?: { l1RpcUrl: string; inbox: Address; portal?: Address }
  rpcLimits?: Partial<RpcLimits>
  server?: Omit<RpcServerOptions, 'port' | 'host'>
}

export async function startNodeFromCli(
  o: NodeCliOptions,
): Promise<{ node: RollupNode; server: RpcServer; stop(): Promise<void> }> {
  const genesis = parseGenesis(JSON.parse(await readFile(o.genesisPath, 'utf8')))
  const kv = await openLevelKv(o.dataDir)
  const crypto = await loadNodeCrypto()
  const node = await createRollupNode({
    kv,
    genesis,
    blockTime: o.blockTime,
    maxBlockTxs: o.maxBlockTxs,
    crypto,
    recoverer: createRecoverPool(crypto.keccak256),
    rpcLimits: o.rpcLimits,
    deposits:
      o.deposits &&
      portalDepositSource(createPublicClient({ transport: http(o.deposits.l1RpcUrl) }), {
        inbox: o.deposits.inbox,
        portal: o.deposits.portal,
      }),
  })
  node.onError((error) => console.error(`rollup-lite: ${error.message}`))
  const server = await startRpcServer(node.rpc, { ...o.server, port: o.port, host: o.host })
  const batcher = o.batcher && attachBatcher(node, kv, o.batcher)
  return {
    node,
    server,
    async stop() {
      await batcher?.stop()
      await server.close()
      await node.close()
    },
  }
}
