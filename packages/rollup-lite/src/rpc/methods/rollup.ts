/** rollup_* node status for dashboards, the batcher and the extension. */
import { numberToHex } from 'viem'
import { headOf, type NodeContext, type RollupStatus } from '../context.ts'

type Method = (ctx: NodeContext, params: unknown[]) => Promise<unknown>

const formatLastBatch = (b: RollupStatus['lastBatch']) => ({
  ...b,
  l2BlockEnd: b.l2BlockEnd === null ? null : numberToHex(b.l2BlockEnd),
})

export const rollupMethods: Record<string, Method> = {
  async rollup_status(ctx) {
    const s = ctx.status()
    return {
      chainId: numberToHex(s.chainId),
      head: { ...s.head, number: numberToHex(s.head.number), timestamp: numberToHex(s.head.timestamp) },
      persistedHead: numberToHex(s.persistedHead),
      openBlock: {
        number: numberToHex(s.openBlock.number),
        txCount: s.openBlock.txCount,
        gasUsed: numberToHex(s.openBlock.gasUsed),
        baseFeePerGas: numberToHex(s.openBlock.baseFeePerGas),
      },
      pendingCount: s.pendingCount,
      lastBatch: formatLastBatch(s.lastBatch),
    }
  },
  async rollup_head(ctx) {
    const h = headOf(ctx)
    return { number: numberToHex(h.header.number), hash: h.hash, stateRoot: h.header.stateRoot }
  },
  async rollup_pendingCount(ctx) {
    return ctx.sequencer.pendingCount + ctx.executor.open.txs.length
  },
  async rollup_lastBatch(ctx) {
    return formatLastBatch(ctx.lastBatch)
  },
  /** Admin (dev mode or token): seals the open block now; blocks are otherwise sealed on interval/size. */
  async rollup_sealBlock(ctx) {
    const block = await ctx.sequencer.sealNow(true)
    return block ? { number: numberToHex(block.header.number), hash: block.hash } : null
  },
}
