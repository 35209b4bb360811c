/**
 * Batches of a rollup as its inbox recorded them (rollup-lite SPEC §5): the `BatchPosted` events,
 * and what each cost and carried: the blob tx's fees, the channel's size on IPFS against the blob
 * space (fill), its size per L2 transaction, and how long its oldest block waited for L1.
 */
import { RollupInboxAbi } from '@seed/contracts'
import type { QueryClient } from '@tanstack/react-query'
import type { Address, Hash, Hex, PublicClient } from 'viem'
import { base32Cid } from './cid.ts'
import { blockQuery } from './live.ts'
import { inWindows } from './logs.ts'

/** Usable bytes of one blob with the OP Stack encoding (SPEC §3). */
export const BLOB_CAPACITY = 130_044
/** Longer ranges are not read block by block for a transaction count (a page, not an indexer). */
const MAX_COUNTED_RANGE = 256n

export type Batch = {
  index: bigint
  batchHash: Hash
  firstBlock: bigint
  lastBlock: bigint
  outputRoot: Hash
  blobHashes: readonly Hash[]
  cid: string
  l1TxHash: Hash
  l1Block: bigint
}

export async function listBatches(l1: PublicClient, inbox: Address): Promise<Batch[]> {
  const logs = await inWindows(l1, (range) =>
    l1.getContractEvents({
      address: inbox,
      abi: RollupInboxAbi,
      eventName: 'BatchPosted',
      ...range,
      strict: true,
    }),
  )
  return logs
    .map((log) => ({
      index: log.args.index,
      batchHash: log.args.batchHash,
      firstBlock: log.args.firstBlock,
      lastBlock: log.args.lastBlock,
      outputRoot: log.args.outputRoot,
      blobHashes: log.args.blobHashes,
      cid: base32Cid(log.args.cid as Hex),
      l1TxHash: log.transactionHash,
      l1Block: log.blockNumber,
    }))
    .sort((a, b) => (a.index < b.index ? 1 : -1))
}

export type BatchFigures = {
  /** Execution plus blob fees of the posting transaction, in wei. */
  costWei: bigint
  l1GasUsed: bigint
  blobGasUsed: bigint
  /** Channel bytes (what the blobs carry), from the IPFS peer; undefined when it does not hold them. */
  channelBytes: number | undefined
  /** Channel bytes over the blobs' usable space. */
  fill: number | undefined
  /** Undefined when the chain is not readable here or the range is too long to count. */
  l2Transactions: number | undefined
  bytesPerTx: number | undefined
  /** Seconds from the batch's oldest L2 block to the L1 block that included it. */
  inclusionDelayS: number
  postedAt: number
}

export async function batchFigures(
  queryClient: QueryClient,
  l1: PublicClient,
  l2: { client: PublicClient; key: readonly unknown[] } | undefined,
  ipfsUrl: string | undefined,
  batch: Batch,
): Promise<BatchFigures> {
  const [receipt, l1Block, channelBytes] = await Promise.all([
    l1.getTransactionReceipt({ hash: batch.l1TxHash }),
    queryClient.fetchQuery(blockQuery(l1, [], 'l1', batch.l1Block)),
    ipfsUrl
      ? fetch(`${ipfsUrl}/ipfs/${batch.cid}`).then(async (r) => (r.ok ? (await r.arrayBuffer()).byteLength : undefined))
      : undefined,
  ])
  const counted = l2 !== undefined && batch.lastBlock - batch.firstBlock < MAX_COUNTED_RANGE
  const l2Blocks = counted
    ? await Promise.all(
        Array.from({ length: Number(batch.lastBlock - batch.firstBlock) + 1 }, (_, i) =>
          queryClient.fetchQuery(blockQuery(l2.client, l2.key, 'l2', batch.firstBlock + BigInt(i))),
        ),
      )
    : []
  const l2Transactions = counted ? l2Blocks.reduce((sum, b) => sum + b.transactions.length, 0) : undefined
  const oldest = l2Blocks[0]?.timestamp ?? l1Block.timestamp
  const blobGasUsed = receipt.blobGasUsed ?? 0n
  return {
    costWei: receipt.gasUsed * receipt.effectiveGasPrice + blobGasUsed * (receipt.blobGasPrice ?? 0n),
    l1GasUsed: receipt.gasUsed,
    blobGasUsed,
    channelBytes,
    fill: channelBytes === undefined ? undefined : channelBytes / (batch.blobHashes.length * BLOB_CAPACITY),
    l2Transactions,
    bytesPerTx: channelBytes === undefined || !l2Transactions ? undefined : channelBytes / l2Transactions,
    inclusionDelayS: Number(l1Block.timestamp - oldest),
    postedAt: Number(l1Block.timestamp),
  }
}

export const batchFiguresKey = (inbox: Address, index: bigint) => ['batch-figures', inbox, String(index)]
