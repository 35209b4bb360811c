/** Blocks, receipts and indexes on the KV, with a small cache of recent blocks. */
import type { Hex } from 'viem'
import {
  decodeBlock,
  decodeNumber,
  decodeReceipts,
  decodeTxLocation,
  encodeBlock,
  encodeNumber,
  encodeReceipts,
  encodeTxLocation,
  keys,
} from '../chain/codec.ts'
import type { SealedBlock, StoredReceipt } from '../chain/types.ts'
import type { KV, KvOp } from './kv.ts'

const RECENT = 256

export class ChainStore {
  private recentBlocks = new Map<bigint, SealedBlock>()
  private recentReceipts = new Map<bigint, StoredReceipt[]>()
  private recentTx = new Map<Hex, { blockNumber: bigint; index: number }>()

  constructor(
    readonly kv: KV,
    private readonly keccak256: (b: Uint8Array) => Uint8Array,
  ) {}

  async head(): Promise<bigint | undefined> {
    const raw = await this.kv.get(keys.head)
    return raw === undefined ? undefined : decodeNumber(raw)
  }

  /** The ops that persist a sealed block; the caller adds the trie nodes and writes one batch. */
  blockOps(block: SealedBlock, receipts: readonly StoredReceipt[]): KvOp[] {
    const n = block.header.number
    this.remember(block, receipts)
    const ops: KvOp[] = [
      { type: 'put', key: keys.block(n), value: encodeBlock(block) },
      { type: 'put', key: keys.receipts(n), value: encodeReceipts(receipts) },
      { type: 'put', key: keys.blockHash(block.hash), value: encodeNumber(n) },
    ]
    block.transactionHashes.forEach((hash, i) => {
      ops.push({ type: 'put', key: keys.tx(hash), value: encodeTxLocation(n, i) })
    })
    ops.push({ type: 'put', key: keys.head, value: encodeNumber(n) })
    return ops
  }

  async block(n: bigint): Promise<SealedBlock | undefined> {
    const hit = this.recentBlocks.get(n)
    if (hit) return hit
    const raw = await this.kv.get(keys.block(n))
    return raw === undefined ? undefined : decodeBlock(raw, this.keccak256)
  }

  async blockNumberByHash(hash: Hex): Promise<bigint | undefined> {
    const raw = await this.kv.get(keys.blockHash(hash.toLowerCase() as Hex))
    return raw === undefined ? undefined : decodeNumber(raw)
  }

  async receipts(n: bigint): Promise<StoredReceipt[] | undefined> {
    const hit = this.recentReceipts.get(n)
    if (hit) return hit
    const raw = await this.kv.get(keys.receipts(n))
    return raw === undefined ? undefined : decodeReceipts(raw)
  }

  async txLocation(hash: Hex): Promise<{ blockNumber: bigint; index: number } | undefined> {
    const h = hash.toLowerCase() as Hex
    const hit = this.recentTx.get(h)
    if (hit) return hit
    const raw = await this.kv.get(keys.tx(h))
    return raw === undefined ? undefined : decodeTxLocation(raw)
  }

  private remember(block: SealedBlock, receipts: readonly StoredReceipt[]) {
    const n = block.header.number
    this.recentBlocks.set(n, block)
    this.recentReceipts.set(n, [...receipts])
    block.transactionHashes.forEach((hash, index) => {
      this.recentTx.set(hash, { blockNumber: n, index })
    })
    const old = n - BigInt(RECENT)
    const dropped = this.recentBlocks.get(old)
    if (dropped) {
      for (const h of dropped.transactionHashes) this.recentTx.delete(h)
      this.recentBlocks.delete(old)
      this.recentReceipts.delete(old)
    }
  }
}
