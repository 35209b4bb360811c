/**
 * Block lifecycle on the VM: one state checkpoint per block, txs executed as they arrive (soft
 * confirmation: the receipt exists before the block closes), and sealing computes the state root,
 * the Ethereum header and the KV ops of the block (trie nodes + block + receipts + indexes).
 */
import { type Block, createBlock } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { EVMMockBlockchainInterface } from '@ethereumjs/evm'
import { RLP } from '@ethereumjs/rlp'
import { Capability, type TransactionType, type TypedTransaction } from '@ethereumjs/tx'
import { createAddressFromString } from '@ethereumjs/util'
import { type RunTxOpts, type RunTxResult, runTx, type TxReceipt, type VM } from '@ethereumjs/vm'
import { type Address, bytesToHex, type Hex, hexToBytes } from 'viem'
import { headerToFields } from '../chain/codec.ts'
import { orderedTrieRoot } from '../chain/ordered-trie.ts'
import { createSharedTxCommon } from '../chain/spec.ts'
import type { RollupHeader, SealedBlock, StoredReceipt } from '../chain/types.ts'
import { DEPOSIT_TX_TYPE, type DepositTransaction } from '../protocol/bridge/deposit.ts'
import { MAX_BLOCK_TX_BYTES, type RollupConfig } from '../protocol/config.ts'
import { blockHeader, blockTimestamp, nextBlockEnvironment, ZERO_BLOOM } from '../protocol/header.ts'
import type { ChainStore } from '../state/chain-store.ts'
import type { KvOp } from '../state/kv.ts'
import type { TrieDb } from '../state/trie-db.ts'
import { encodeReceiptBytes } from './receipt-bytes.ts'
import { blockHashSource, storeParentHash, useBlockHashes } from './system-contracts.ts'
import { type TransferResult, tryPlainTransfer } from './transfer.ts'

export type ExecutedTx = {
  tx: TypedTransaction
  raw: Uint8Array
  hash: Hex
  index: number
  receipt: StoredReceipt
  vmReceipt: TxReceipt
  /** Set for a deposit (0x7E, exec/deposit.ts): `tx` is then only the call it ran as. */
  deposit?: DepositTransaction
}

export type OpenBlock = {
  number: bigint
  timestamp: bigint
  /** v2: the block's L1 origin (header.ts); set by the sequencer or the batch before its first tx. */
  l1Origin?: bigint
  baseFeePerGas: bigint
  gasLimit: bigint
  gasUsed: bigint
  /** Raw tx bytes so far. */
  bytes: number
  context: Block
  txs: ExecutedTx[]
  byHash: Map<Hex, ExecutedTx>
}

export type ExecutorConfig = Pick<RollupConfig, 'gasLimit' | 'coinbase' | 'extraData'> & {
  now: () => bigint
  /** Raw tx bytes per block (MAX_BLOCK_TX_BYTES by default). */
  maxBlockBytes?: number
  /** Plain value transfers skip the EVM (exec/transfer.ts); false = every tx through runTx. */
  plainTransferPath?: boolean
}

export class BlockFullError extends Error {
  override name = 'BlockFullError'
  shortMessage = 'The open block has no room for this transaction.'
}

export class BlockExecutor {
  open!: OpenBlock
  /** BLOCKHASH's view of the chain (shared with historical-call VMs). */
  readonly blockHashes: EVMMockBlockchainInterface
  /** Shared Common for decoding txs (see createSharedTxCommon). */
  readonly txCommon: Common

  constructor(
    readonly vm: VM,
    readonly common: Common,
    private readonly trieDb: TrieDb,
    private readonly store: ChainStore,
    private readonly keccak256: (b: Uint8Array) => Uint8Array,
    private readonly config: ExecutorConfig,
    public head: SealedBlock,
  ) {
    this.txCommon = createSharedTxCommon(common)
    this.blockHashes = blockHashSource((n) => this.hashOf(n))
    useBlockHashes(vm, this.blockHashes)
  }

  /** The hash of sealed block `n` (BLOCKHASH, historical calls). */
  async hashOf(n: bigint): Promise<Hex | undefined> {
    if (n === this.head.header.number) return this.head.hash
    if (n > this.head.header.number) return undefined
    return (await this.store.block(n))?.hash
  }

  /** Starts the next block on top of `head` (one state checkpoint for the whole block). */
  async openNext(): Promise<void> {
    const parent = this.head.header
    const open: OpenBlock = {
      ...nextBlockEnvironment(parent, this.timestampAfter(parent.timestamp), this.config),
      gasUsed: 0n,
      bytes: 0,
      context: undefined as unknown as Block,
      txs: [],
      byHash: new Map(),
    }
    open.context = this.blockContext(open)
    this.open = open
    await this.vm.stateManager.checkpoint()
    await storeParentHash(this.vm, open.number, this.head.hash)
  }

  /** Runs one tx in the open block. Throws BlockFullError if it does not fit, or the VM error. */
  async execute(tx: TypedTransaction, raw: Uint8Array, hash: Hex): Promise<ExecutedTx> {
    const open = this.open
    if (open.gasUsed + tx.gasLimit > open.gasLimit) throw new BlockFullError()
    // Bytes bound every block's batch size (a block must fit one channel), as gas bounds its work.
    if (open.txs.length > 0 && open.bytes + raw.length > (this.config.maxBlockBytes ?? MAX_BLOCK_TX_BYTES))
      throw new BlockFullError()
    this.stampIfEmpty()
    const fast =
      this.config.plainTransferPath === false
        ? undefined
        : await tryPlainTransfer(this.vm, tx, open.context, open.gasUsed)
    const executed = fast ? this.transferExecuted(tx, raw, hash, fast) : await this.runInEvm(tx, raw, hash)
    open.gasUsed = executed.receipt.cumulativeGasUsed
    open.bytes += raw.length
    open.txs.push(executed)
    open.byHash.set(hash, executed)
    return executed
  }

  /** An idle open block takes the time of its first transaction (or deposit). */
  stampIfEmpty(): void {
    const open = this.open
    if (open.txs.length > 0) return
    const timestamp = this.timestampAfter(this.head.header.timestamp)
    if (timestamp !== open.timestamp) {
      open.timestamp = timestamp
      open.context = this.blockContext(open)
    }
  }

  private async runInEvm(tx: TypedTransaction, raw: Uint8Array, hash: Hex): Promise<ExecutedTx> {
    const open = this.open
    const result: RunTxResult = await runTxRestoringDepth(this.vm, {
      tx,
      block: open.context,
      blockGasUsed: open.gasUsed,
      skipHardForkValidation: true,
    })
    const logs = result.execResult.logs ?? []
    return {
      tx,
      raw,
      hash,
      index: open.txs.length,
      vmReceipt: result.receipt,
      receipt: {
        status: result.execResult.exceptionError ? 0 : 1,
        cumulativeGasUsed: open.gasUsed + result.totalGasSpent,
        gasUsed: result.totalGasSpent,
        effectiveGasPrice: effectiveGasPrice(tx, open.baseFeePerGas),
        from: tx.getSenderAddress().toString() as Address,
        contractAddress: (result.createdAddress?.toString() as Address | undefined) ?? null,
        logs: logs.map(([address, topics, data]) => ({
          address: bytesToHex(address),
          topics: topics.map((t) => bytesToHex(t)),
          data: bytesToHex(data),
        })),
        logsBloom: logs.length === 0 ? ZERO_BLOOM : bytesToHex(result.bloom.bitvector),
      },
    }
  }

  private transferExecuted(tx: TypedTransaction, raw: Uint8Array, hash: Hex, t: TransferResult): ExecutedTx {
    return {
      tx,
      raw,
      hash,
      index: this.open.txs.length,
      vmReceipt: t.receipt,
      receipt: {
        status: 1,
        cumulativeGasUsed: t.receipt.cumulativeBlockGasUsed,
        gasUsed: t.gasUsed,
        effectiveGasPrice: t.gasPrice,
        from: tx.getSenderAddress().toString() as Address,
        contractAddress: null,
        logs: [],
        logsBloom: ZERO_BLOOM,
      },
    }
  }

  /** Closes the open block: state root, header, KV ops. Opens the next block. */
  async seal(): Promise<{ block: SealedBlock; receipts: StoredReceipt[]; ops: KvOp[] }> {
    const open = this.open
    const sm = this.vm.stateManager
    await sm.commit()
    const stateRoot = await sm.getStateRoot()
    const trieOps = this.trieDb.seal(stateRoot)
    const txs = open.txs
    const bloom = new Uint8Array(256)
    for (const t of txs) {
      // A tx without logs has the zero bloom (most txs): nothing to add.
      if (t.receipt.logs.length === 0) continue
      const b = t.vmReceipt.bitvector
      for (let i = 0; i < 256; i++) bloom[i] = (bloom[i] as number) | (b[i] as number)
    }
    const header: RollupHeader = blockHeader(
      this.head.hash,
      open,
      {
        stateRoot: bytesToHex(stateRoot),
        transactionsRoot: bytesToHex(
          orderedTrieRoot(
            txs.map((t) => t.raw),
            this.keccak256,
          ),
        ),
        receiptsRoot: bytesToHex(
          orderedTrieRoot(
            txs.map((t) =>
              encodeReceiptBytes(t.vmReceipt, (t.deposit ? DEPOSIT_TX_TYPE : t.tx.type) as TransactionType),
            ),
            this.keccak256,
          ),
        ),
        logsBloom: bytesToHex(bloom),
        gasUsed: open.gasUsed,
      },
      this.config,
    )
    const block = sealedBlock(
      header,
      txs.map((t) => t.raw),
      txs.map((t) => t.hash),
      this.keccak256,
    )
    const receipts = txs.map((t) => t.receipt)
    const ops = [...trieOps, ...this.store.blockOps(block, receipts)]
    this.head = block
    await this.openNext()
    return { block, receipts, ops }
  }

  private timestampAfter(parent: bigint): bigint {
    return blockTimestamp(parent, this.config.now())
  }

  private blockContext(open: OpenBlock): Block {
    return createBlock(
      {
        header: {
          number: open.number,
          timestamp: open.timestamp,
          gasLimit: open.gasLimit,
          baseFeePerGas: open.baseFeePerGas,
          coinbase: createAddressFromString(this.config.coinbase),
          parentHash: hexToBytes(this.head.hash),
        },
      },
      { common: this.common, freeze: false },
    )
  }
}

/**
 * runTx, but if it throws (an invalid tx, or an exception escaping the EVM such as a precompile
 * error) every state checkpoint it opened is reverted. A leaked checkpoint would keep the block's
 * trie writes from ever reaching the database.
 */
export async function runTxRestoringDepth(vm: VM, opts: RunTxOpts): Promise<RunTxResult> {
  const sm = vm.stateManager as unknown as { _checkpointCount: number; revert(): Promise<void> }
  const depth = sm._checkpointCount
  try {
    return await runTx(vm, opts)
  } catch (error) {
    while (sm._checkpointCount > depth) await sm.revert()
    throw error
  }
}

export function sealedBlock(
  header: RollupHeader,
  transactions: Uint8Array[],
  transactionHashes: Hex[],
  keccak256: (b: Uint8Array) => Uint8Array,
): SealedBlock {
  const headerRlp = RLP.encode(headerToFields(header))
  return { hash: bytesToHex(keccak256(headerRlp)), header, headerRlp, transactions, transactionHashes }
}

export function effectiveGasPrice(tx: TypedTransaction, baseFee: bigint): bigint {
  if (tx.supports(Capability.EIP1559FeeMarket)) {
    const t = tx as unknown as { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
    const withTip = baseFee + t.maxPriorityFeePerGas
    // biome-ignore lint/complexity/useMathMinMax: bigint
    return withTip < t.maxFeePerGas ? withTip : t.maxFeePerGas
  }
  return (tx as unknown as { gasPrice: bigint }).gasPrice
}
