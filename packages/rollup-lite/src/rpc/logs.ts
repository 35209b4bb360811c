/** eth_getLogs over a range of the node's blocks. */
import { RpcCodes, RpcError } from '../chain/errors.ts'
import { headOf, type NodeContext, publishedNumberByHash, safeHeadOf } from './context.ts'
import { blockLogs, bloomMayMatch, type FormattedLog, type LogCriteria } from './log-criteria.ts'
import { blockRef } from './params.ts'

export const MAX_LOG_RANGE = 10_000n
export const MAX_LOGS = 10_000

async function blockNumberOf(ctx: NodeContext, v: unknown, fallback: bigint): Promise<bigint> {
  if (v === undefined || v === null) return fallback
  const ref = blockRef(v)
  if ('tag' in ref) return (ref.tag === 'safe' ? safeHeadOf(ctx) : headOf(ctx)).header.number
  if ('number' in ref) return ref.number
  const n = await publishedNumberByHash(ctx, ref.hash)
  if (n === undefined) throw new RpcError(RpcCodes.resourceNotFound, 'block not found')
  return n
}

export async function getLogs(ctx: NodeContext, c: LogCriteria, from?: bigint) {
  const headBlock = headOf(ctx)
  const head = headBlock.header.number
  let start: bigint
  let end: bigint
  if (c.blockHash) {
    const n = await publishedNumberByHash(ctx, c.blockHash)
    if (n === undefined) throw new RpcError(RpcCodes.resourceNotFound, 'unknown block')
    start = n
    end = n
  } else {
    start = from ?? (await blockNumberOf(ctx, c.fromBlock, head))
    end = await blockNumberOf(ctx, c.toBlock, head)
    if (end > head) end = head
  }
  if (end - start + 1n > MAX_LOG_RANGE)
    throw new RpcError(RpcCodes.limitExceeded, `block range too large: at most ${MAX_LOG_RANGE} blocks`)
  const logs: FormattedLog[] = []
  for (let n = start; n <= end; n++) {
    const block = n === head ? headBlock : await ctx.store.block(n)
    if (!block || block.transactions.length === 0) continue
    if (!bloomMayMatch(block.header.logsBloom, c, ctx.keccak256)) continue
    const receipts = await ctx.store.receipts(n)
    if (!receipts) continue
    logs.push(...blockLogs(block, receipts, c))
    if (logs.length > MAX_LOGS)
      throw new RpcError(RpcCodes.limitExceeded, `query returned more than ${MAX_LOGS} results`)
  }
  return logs
}
