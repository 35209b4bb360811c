/** Helpers for this package's tests and benchmarks (Node only). */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Chain, defineChain, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { Genesis } from './chain/types.ts'
import { createRollupNode, type RollupNode, type RollupNodeOptions } from './create-node.ts'
import { loadNodeCrypto } from './node/native-crypto.ts'
import { createRecoverPool } from './node/recover-pool.ts'
import { type RpcServer, type RpcServerOptions, startRpcServer } from './node/server.ts'
import { openLevelKv } from './state/level-kv.ts'

/** anvil's first dev keys (well-known; test only). */
export const TEST_KEYS: Hex[] = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
]
export const TEST_CHAIN_ID = 31338

/** Runtime code that logs and returns blockhash(block.number - 1) (BLOCKHASH tests). */
export const PARENT_HASH_RUNTIME: Hex = '0x4360019003405f5260205fa060205ff3'
/** Init code deploying PARENT_HASH_RUNTIME (16 bytes, copied from offset 10). */
export const PARENT_HASH_INITCODE: Hex = `0x6010600a5f3960105ff3${PARENT_HASH_RUNTIME.slice(2)}`

export function testGenesis(extra: Genesis['alloc'] = {}, chainId = TEST_CHAIN_ID): Genesis {
  const alloc: Genesis['alloc'] = {}
  for (const key of TEST_KEYS) alloc[privateKeyToAccount(key).address] = { balance: 10n ** 24n }
  return { chainId, timestamp: 1_700_000_000, alloc: { ...alloc, ...extra } }
}

export function rollupChain(url: string, chainId = TEST_CHAIN_ID): Chain {
  return defineChain({
    id: chainId,
    name: 'rollup-lite',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  })
}

export type TestNode = {
  node: RollupNode
  server: RpcServer
  chain: Chain
  dataDir: string
  close(options?: { keepData?: boolean }): Promise<void>
}

export async function startTestNode(
  options: Partial<Omit<RollupNodeOptions, 'kv'>> & { dataDir?: string; server?: RpcServerOptions } = {},
): Promise<TestNode> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rollup-lite-'))
  const kv = await openLevelKv(dataDir)
  const crypto = await loadNodeCrypto()
  const node = await createRollupNode({
    genesis: testGenesis(),
    blockTime: 100,
    crypto,
    recoverer: createRecoverPool(crypto.keccak256),
    ...options,
    kv,
  })
  const server = await startRpcServer(node.rpc, options.server)
  return {
    node,
    server,
    chain: rollupChain(server.url, Number(node.chainId)),
    dataDir,
    async close({ keepData = false } = {}) {
      await server.close()
      await node.close()
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
