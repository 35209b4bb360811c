/**
 * A rollup-lite node (real EVM, LevelDB state, JSON-RPC over HTTP) with the x402 predeploys in its genesis,
 * for tests and benchmarks while the devnet stack does not run the rollup itself. Node only.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRollupNode, type Genesis, type RollupNode } from '@seed/rollup-lite'
import { loadNodeCrypto, openLevelKv, startRpcServer } from '@seed/rollup-lite/node'
import { type Address, defineChain } from 'viem'
import { type CodeReader, type SeedUsdPredeploy, x402RollupAlloc } from './predeploys.ts'

export type LocalRollup = {
  node: RollupNode
  rpcUrl: string
  chainId: number
  chain: ReturnType<typeof defineChain>
  close(): Promise<void>
}

export async function startLocalRollup(parameters: {
  l1: CodeReader
  usd: Omit<SeedUsdPredeploy, 'code'>
  /** Funded with 10,000 ETH each (gas for the facilitator and payers). */
  funded: readonly Address[]
  chainId?: number
  blockTime?: number
}): Promise<LocalRollup> {
  const chainId = parameters.chainId ?? 31338
  const alloc: Genesis['alloc'] = {}
  for (const address of parameters.funded) alloc[address] = { balance: 10_000n * 10n ** 18n }
  Object.assign(alloc, await x402RollupAlloc(parameters.l1, parameters.usd))
  const dataDir = mkdtempSync(join(tmpdir(), 'x402-rollup-'))
  const kv = await openLevelKv(dataDir)
  // libsecp256k1 for sender recovery and the EVM's ecrecover (pure JS costs milliseconds per signature).
  // Recovery stays on this thread: a worker hop adds latency to every payment on a busy machine.
  const crypto = await loadNodeCrypto()
  const node = await createRollupNode({
    kv,
    crypto,
    genesis: { chainId, timestamp: Math.floor(Date.now() / 1000), alloc },
    blockTime: parameters.blockTime ?? 250,
  })
  const server = await startRpcServer(node.rpc, { port: 0, host: '127.0.0.1' })
  return {
    node,
    rpcUrl: server.url,
    chainId,
    chain: defineChain({
      id: chainId,
      name: 'Seed rollup',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [server.url] } },
    }),
    async close() {
      await server.close()
      await node.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
