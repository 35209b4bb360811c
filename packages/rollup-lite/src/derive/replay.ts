/**
 * The derivation executor: replays batch blocks on a fresh chain with the node's own block
 * executor (same EVM, same header rules), in the batch's order and at the batch's timestamps.
 * Unlike the sequencer it has no mempool: an invalid transaction is a derivation failure.
 */
import type { Block } from '@ethereumjs/block'
import { createAddressFromString } from '@ethereumjs/util'
import { type Hex, hexToBytes } from 'viem'
import { loadCrypto } from '../chain/crypto.ts'
import { createRollupCommon } from '../chain/spec.ts'
import type { Genesis, SealedBlock } from '../chain/types.ts'
import { executeDeposit } from '../exec/deposit.ts'
import { BlockExecutor, type OpenBlock } from '../exec/executor.ts'
import { openChain } from '../exec/genesis.ts'
import { createStateVm, readMessagePasserStorageRoot } from '../exec/state.ts'
import type { DepositTransaction } from '../protocol/bridge/deposit.ts'
import { rollupConfig } from '../protocol/config.ts'
import { l1OriginOf } from '../protocol/header.ts'
import { decodeRawTx } from '../protocol/tx-validity.ts'
import type { BatchBlock } from '../protocol/types.ts'
import { ChainStore } from '../state/chain-store.ts'
import type { KV, KvOp } from '../state/kv.ts'
import { TrieDb } from '../state/trie-db.ts'

export type ExecutedBlock = {
  number: bigint
  hash: Hex
  stateRoot: Hex
  /** v2: the block's L1 origin (absent on a chain without a bridge). */
  l1Origin?: bigint
}

/** What derivation needs from an execution engine; pluggable (tests, other engines). */
export type DerivationExecutor = {
  genesis: ExecutedBlock
  head(): ExecutedBlock
  /**
   * `sender(i)`: the sender of transaction i of this block if already recovered (off-thread, from
   * the decoder's signing payload), `null` if its signature recovers no key; undefined: recover here.
   * `deposits`: what the block begins with, read from L1 by its origin (SPEC.md §10.2).
   */
  executeBlock(
    block: BatchBlock,
    sender?: SenderLookup,
    deposits?: readonly DepositTransaction[],
  ): Promise<ExecutedBlock>
  /** The message passer's storage root in the state `stateRoot` of an executed block (SPEC §6). */
  messagePasserStorageRoot(stateRoot: Hex): Promise<Hex>
}

export type SenderLookup = (txIndex: number) => Promise<Hex | null> | undefined

export class InvalidBlockError extends Error {
  override name = 'InvalidBlockError'
  readonly shortMessage: string
  constructor(
    readonly blockNumber: bigint,
    reason: string,
  ) {
    super(`L2 block ${blockNumber}: ${reason}`)
    this.shortMessage = `L2 block ${blockNumber} does not execute`
  }
}

const summary = (b: SealedBlock): ExecutedBlock => {
  const l1Origin = l1OriginOf(b.header)
  const block = { number: b.header.number, hash: b.hash, stateRoot: b.header.stateRoot }
  return l1Origin === undefined ? block : { ...block, l1Origin }
}

/** How many recent blocks BLOCKHASH can name (the EVM's window). */
const BLOCKHASH_WINDOW = 256n

/**
 * A scratch verifier's chain store: it serves nothing, so it persists no block, receipts or
 * lookup indexes (~7% of a verifier's CPU); the last 256 blocks stay in memory for BLOCKHASH.
 */
class ReplayOnlyStore extends ChainStore {
  private readonly window = new Map<bigint, SealedBlock>()

  override blockOps(block: SealedBlock): KvOp[] {
    const n = block.header.number
    this.window.set(n, block)
    this.window.delete(n - BLOCKHASH_WINDOW)
    return []
  }

  override async block(n: bigint): Promise<SealedBlock | undefined> {
    return this.window.get(n) ?? (await super.block(n))
  }
}

export async function createReplayExecutor({
  kv,
  genesis,
  plain = false,
  serving = true,
}: {
  kv: KV
  genesis: Genesis
  /** Every tx through runTx over ethereumjs' own caches: the reference path of differential tests. */
  plain?: boolean
  /**
   * Persist each block with its receipts and lookup indexes, as the node does (a derived store a
   * node can open); false for a scratch verifier: only the state trie is written.
   */
  serving?: boolean
}): Promise<DerivationExecutor> {
  const crypto = await loadCrypto()
  const config = rollupConfig(genesis)
  const common = createRollupCommon(config.chainId, crypto)
  const trieDb = new TrieDb(kv)
  const store = serving ? new ChainStore(kv, crypto.keccak256) : new ReplayOnlyStore(kv, crypto.keccak256)
  // The same genesis block as the sequencer's chain (or the head a previous replay stored),
  // persisted by a plain store whatever this replay keeps afterwards.
  const head = await openChain({
    kv,
    common,
    trieDb,
    store: new ChainStore(kv, crypto.keccak256),
    keccak256: crypto.keccak256,
    genesis,
    config,
  })
  const vm = await createStateVm(common, trieDb, hexToBytes(head.header.stateRoot), { plain })
  let timestamp = head.header.timestamp
  const executor = new BlockExecutor(
    vm,
    common,
    trieDb,
    store,
    crypto.keccak256,
    {
      ...config,
      now: () => timestamp,
      // A posted block is replayed as it is: the byte bound is the sequencer's, not a validity rule.
      maxBlockBytes: Number.POSITIVE_INFINITY,
      plainTransferPath: !plain,
    },
    head,
  )
  await executor.openNext()
  const blockContext = (open: OpenBlock) =>
    (executor as unknown as { blockContext(o: OpenBlock): Block }).blockContext(open)

  return {
    genesis: summary(head),
    head: () => summary(executor.head),
    async executeBlock(block, sender, deposits = []) {
      const open = executor.open
      if (block.number !== open.number) throw new InvalidBlockError(block.number, `expected block ${open.number}`)
      if (block.timestamp < executor.head.header.timestamp) {
        throw new InvalidBlockError(block.number, 'timestamp before its parent')
      }
      timestamp = block.timestamp
      // Blocks sealed within the same second share a timestamp: the context opened is already right.
      if (open.timestamp !== block.timestamp) {
        open.timestamp = block.timestamp
        open.context = blockContext(open)
      }
      // The origin the batch gives (header.ts commits it in extraData); none in a v1 batch.
      if (block.l1Origin === undefined) delete open.l1Origin
      else open.l1Origin = block.l1Origin
      for (const d of deposits) await executeDeposit(executor, d)
      for (const [i, hex] of block.transactions.entries()) {
        try {
          // Same checks as the sequencer's admission (size, type, chain id, low-s, intrinsic gas,
          // fee caps); only the signature recovery may have happened elsewhere.
          const bytes = block.encoded?.[i] ?? hexToBytes(hex)
          const p = decodeRawTx(bytes, executor.txCommon, crypto.keccak256, open.gasLimit)
          const recovered = sender?.(i)
          if (recovered) {
            const address = await recovered
            if (!address) throw new Error('invalid signature: no sender recovers')
            const pinned = createAddressFromString(address)
            Object.defineProperty(p.tx, 'getSenderAddress', { value: () => pinned })
          }
          await executor.execute(p.tx, p.raw, p.hash)
        } catch (e) {
          throw new InvalidBlockError(block.number, `transaction ${i}: ${(e as Error).message}`)
        }
      }
      const { block: sealed, ops } = await executor.seal()
      await kv.batch(ops)
      return summary(sealed)
    },
    messagePasserStorageRoot: (stateRoot) => readMessagePasserStorageRoot(common, trieDb, stateRoot),
  }
}
