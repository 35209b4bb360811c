/**
 * Runs a batcher next to a rollup node (Node process or browser Worker: no Node-only imports):
 * blocks come from the node, pending batch state lives in the node's KV, and the node's
 * `rollup_status`-style status shows the last confirmed batch.
 */
import { CID } from 'multiformats/cid'
import { type Address, createPublicClient, type Hex, hexToBytes, http, type Kzg, type LocalAccount } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { httpPinner, type IpfsPinner } from '../ipfs/pinner.ts'
import type { KV } from '../state/kv.ts'
import { type Batcher, type BatcherEvent, createBatcher } from './batcher.ts'
import { type BatchedNode, nodeBlockSource } from './node-source.ts'
import type { BatchPolicy } from './policy.ts'

export type AttachBatcherOptions = {
  l1RpcUrl: string
  l1ChainId: number
  inbox: Address
  account: LocalAccount
  /** IPFS peer HTTP API (pins signed by `account`); omit to post blobs only. */
  ipfsUrl?: string
  /** A pinner to use instead of `ipfsUrl` (e.g. heliaPinner over libp2p, ipfs/helia-pinner.ts). */
  ipfs?: IpfsPinner
  /** Native KZG in Node (chain/native-kzg.ts); the pure-JS one otherwise. */
  kzg?: Kzg
  policy?: Partial<BatchPolicy>
  intervalMs?: number
  log?: (e: BatcherEvent) => void
}

export function attachBatcher(node: BatchedNode, kv: KV, o: AttachBatcherOptions): Batcher {
  const l1 = createPublicClient({
    chain: {
      id: o.l1ChainId,
      name: 'L1',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [o.l1RpcUrl] } },
    },
    transport: http(o.l1RpcUrl, { timeout: 60_000 }),
  })
  const batcher = createBatcher({
    l1,
    account: o.account,
    inbox: o.inbox,
    chainId: node.chainId,
    source: nodeBlockSource(node),
    kv,
    ipfs: o.ipfs ?? (o.ipfsUrl ? httpPinner(o.ipfsUrl, { signer: o.account }) : undefined),
    kzg: o.kzg,
    policy: o.policy,
    log: (e) => {
      if (e.type === 'confirmed') {
        node.setBatchStatus({
          l1TxHash: e.l1TxHash ?? null,
          l2BlockEnd: e.lastBlock,
          blobVersionedHashes: e.blobVersionedHashes,
          cid: CID.decode(hexToBytes(e.cid)).toString(),
        })
      }
      o.log?.(e)
    },
  })
  batcher.start(o.intervalMs ?? 2_000)
  return batcher
}

/** Structured-clone-friendly batcher config for the Worker node (`WorkerNodeConfig.batcher`). */
export type WorkerBatcherConfig = Omit<AttachBatcherOptions, 'account' | 'log' | 'kzg' | 'ipfs'> & { privateKey: Hex }

export function attachBatcherFromConfig(node: BatchedNode, kv: KV, c: WorkerBatcherConfig): Batcher {
  const { privateKey, ...rest } = c
  return attachBatcher(node, kv, { ...rest, account: privateKeyToAccount(privateKey) })
}
