/** Chain info, fees, blocks, transactions, receipts and sendRawTransaction. */
import { type Hex, hexToBytes, numberToHex } from 'viem'
import { invalidParams, RpcError } from '../../chain/errors.ts'
import { CLIENT_VERSION } from '../../chain/spec.ts'
import type { SealedBlock, StoredReceipt } from '../../chain/types.ts'
import { nextBaseFee } from '../../protocol/base-fee.ts'
import { headOf, type NodeContext, type RequestScope, resolveBlock } from '../context.ts'
import {
  decodeTx,
  firstLogIndex,
  formatBlock,
  formatReceipt,
  formatTx,
  type RpcTx,
  type TxLocation,
} from '../format.ts'
import { blockRef, bool, hash32, hexData, optQuantity, quantity } from '../params.ts'

type Method = (ctx: NodeContext, params: unknown[], scope?: RequestScope) => Promise<unknown>

/** EIP-7966's error code for a synchronous send answered before its tx was in a block. */
const NOT_PROCESSED_IN_TIME = 4

/** Suggested tip: the rollup orders by tip but needs none; 1 wei keeps wallets' math sane. */
const SUGGESTED_TIP = 1n

async function blockJson(ctx: NodeContext, block: SealedBlock | undefined, full: boolean) {
  if (!block) return null
  const receipts = full ? await ctx.store.receipts(block.header.number) : undefined
  return formatBlock(block, full, (i) => {
    const r = receipts?.[i] as StoredReceipt
    const location = { blockHash: block.hash, blockNumber: block.header.number, index: i }
    const tx = decodeTx(block.transactions[i] as Uint8Array, ctx.executor.txCommon)
    return formatTx(tx, block.transactionHashes[i] as Hex, r.from, location, r.effectiveGasPrice)
  })
}

type Found = {
  tx: RpcTx
  hash: Hex
  receipt: StoredReceipt
  location: TxLocation
  receipts: readonly StoredReceipt[]
}

/** Finds a tx in a published block (sealed and on disk): nothing earlier is visible. */
async function findExecuted(ctx: NodeContext, hash: Hex): Promise<Found | undefined> {
  const at = await ctx.store.txLocation(hash)
  const head = headOf(ctx)
  if (!at || at.blockNumber > head.header.number) return undefined
  const block = at.blockNumber === head.header.number ? head : await ctx.store.block(at.blockNumber)
  const receipts = await ctx.store.receipts(at.blockNumber)
  if (!block || !receipts) return undefined
  return {
    tx: decodeTx(block.transactions[at.index] as Uint8Array, ctx.executor.txCommon),
    hash,
    receipt: receipts[at.index] as StoredReceipt,
    location: { blockHash: block.hash, blockNumber: at.blockNumber, index: at.index },
    receipts,
  }
}

export const chainMethods: Record<string, Method> = {
  async eth_chainId(ctx) {
    return numberToHex(ctx.chainId)
  },
  async net_version(ctx) {
    return ctx.chainId.toString()
  },
  async web3_clientVersion() {
    return CLIENT_VERSION
  },
  async net_listening() {
    return true
  },
  async eth_syncing() {
    return false
  },
  async eth_accounts() {
    return []
  },
  async eth_blockNumber(ctx) {
    return numberToHex(headOf(ctx).header.number)
  },
  async eth_gasPrice(ctx) {
    // The fee the next block charges (it may already be executing behind the published head).
    return numberToHex(ctx.executor.open.baseFeePerGas + SUGGESTED_TIP)
  },
  async eth_maxPriorityFeePerGas() {
    return numberToHex(SUGGESTED_TIP)
  },
  async eth_blobBaseFee() {
    return numberToHex(1n)
  },
  async eth_feeHistory(ctx, [count, newest, percentiles]) {
    const n = quantity(count, 'blockCount')
    if (n < 1n || n > 1024n) throw invalidParams('invalid blockCount: 1..1024')
    const last = await resolveBlock(ctx, blockRef(newest))
    if (!last) return null
    const pct = Array.isArray(percentiles) ? percentiles.map(Number) : []
    const first = last.header.number - n + 1n < 0n ? 0n : last.header.number - n + 1n
    const baseFees: Hex[] = []
    const ratios: number[] = []
    const rewards: Hex[][] = []
    for (let i = first; i <= last.header.number; i++) {
      const b = i === last.header.number ? last : await ctx.store.block(i)
      if (!b) continue
      baseFees.push(numberToHex(b.header.baseFeePerGas))
      ratios.push(Number(b.header.gasUsed) / Number(b.header.gasLimit))
      if (pct.length > 0) {
        const receipts = (await ctx.store.receipts(i)) ?? []
        const tips = receipts.map((r) => r.effectiveGasPrice - b.header.baseFeePerGas).sort((x, y) => (x < y ? -1 : 1))
        rewards.push(
          pct.map((p) =>
            numberToHex(
              tips.length ? (tips[Math.min(tips.length - 1, Math.floor((p / 100) * tips.length))] as bigint) : 0n,
            ),
          ),
        )
      }
    }
    baseFees.push(numberToHex(nextBaseFee(last.header)))
    return {
      oldestBlock: numberToHex(first),
      baseFeePerGas: baseFees,
      gasUsedRatio: ratios,
      ...(pct.length > 0 ? { reward: rewards } : {}),
      baseFeePerBlobGas: baseFees.map(() => '0x1'),
      blobGasUsedRatio: ratios.map(() => 0),
    }
  },
  async eth_getBlockByNumber(ctx, [tag, full]) {
    return blockJson(ctx, await resolveBlock(ctx, blockRef(tag)), bool(full, 'fullTransactions'))
  },
  async eth_getBlockByHash(ctx, [hash, full]) {
    return blockJson(ctx, await resolveBlock(ctx, { hash: hash32(hash) }), bool(full, 'fullTransactions'))
  },
  async eth_getBlockTransactionCountByNumber(ctx, [tag]) {
    const block = await resolveBlock(ctx, blockRef(tag))
    return block ? numberToHex(block.transactions.length) : null
  },
  async eth_getBlockReceipts(ctx, [tag]) {
    const block = await resolveBlock(ctx, blockRef(tag))
    if (!block) return null
    const receipts = (await ctx.store.receipts(block.header.number)) ?? []
    return receipts.map((r, i) =>
      formatReceipt(
        decodeTx(block.transactions[i] as Uint8Array, ctx.executor.txCommon),
        block.transactionHashes[i] as Hex,
        r,
        { blockHash: block.hash, blockNumber: block.header.number, index: i },
        firstLogIndex(receipts, i),
      ),
    )
  },
  /** Answers once the tx's block is sealed, on disk and published (durable admission). */
  async eth_sendRawTransaction(ctx, [raw], scope) {
    const defer = scope?.deferDurable
    const { hash, committed } = await ctx.sequencer.admit(hexToBytes(hexData(raw, 'transaction')), { commit: !defer })
    if (defer) defer(committed)
    else await committed
    return hash
  },
  /**
   * EIP-7966: the receipt in the send's own answer. It comes once the tx's block is durable and published,
   * as eth_sendRawTransaction's hash does, so a client needs no receipt poll after it. A tx still behind a
   * nonce gap when the wait ends (the gap's QUEUED_ANSWER_MS, or the caller's shorter timeout in ms) is
   * answered with EIP-7966's code 4 and its hash: it stays in the pool.
   */
  async eth_sendRawTransactionSync(ctx, [raw, timeout]) {
    const timeoutMs = optQuantity(timeout, 'timeout')
    const { hash, committed } = await ctx.sequencer.admit(hexToBytes(hexData(raw, 'transaction')))
    let timer: ReturnType<typeof setTimeout> | undefined
    const waited =
      timeoutMs === undefined
        ? committed
        : Promise.race([
            committed,
            new Promise<void>((resolve) => {
              timer = setTimeout(resolve, Number(timeoutMs))
            }),
          ])
    await waited.finally(() => clearTimeout(timer))
    const found = await findExecuted(ctx, hash)
    if (!found)
      throw new RpcError(
        NOT_PROCESSED_IN_TIME,
        'transaction added to the pool but not processed within the timeout',
        hash,
      )
    return formatReceipt(
      found.tx,
      hash,
      found.receipt,
      found.location,
      firstLogIndex(found.receipts, found.location.index),
    )
  },
  async eth_getTransactionByHash(ctx, [h]) {
    const hash = hash32(h)
    const found = await findExecuted(ctx, hash)
    if (found) return formatTx(found.tx, hash, found.receipt.from, found.location, found.receipt.effectiveGasPrice)
    const pending = ctx.sequencer.mempool.get(hash)
    return pending ? formatTx(pending.tx, hash, pending.sender, null) : null
  },
  async eth_getTransactionReceipt(ctx, [h]) {
    const found = await findExecuted(ctx, hash32(h))
    if (!found) return null
    return formatReceipt(
      found.tx,
      found.hash,
      found.receipt,
      found.location,
      firstLogIndex(found.receipts, found.location.index),
    )
  },
}
