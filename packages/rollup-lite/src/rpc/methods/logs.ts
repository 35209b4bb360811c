/** eth_getLogs and polling filters. */
import type { Hex } from 'viem'
import type { NodeContext } from '../context.ts'
import { parseCriteria } from '../log-criteria.ts'
import { getLogs } from '../logs.ts'
import { hexData } from '../params.ts'

type Method = (ctx: NodeContext, params: unknown[]) => Promise<unknown>

export const logMethods: Record<string, Method> = {
  async eth_getLogs(ctx, [filter]) {
    return getLogs(ctx, parseCriteria(filter))
  },
  async eth_newFilter(ctx, [filter]) {
    return ctx.filters.newLogFilter(parseCriteria(filter))
  },
  async eth_newBlockFilter(ctx) {
    return ctx.filters.newBlockFilter()
  },
  async eth_getFilterChanges(ctx, [id]) {
    return ctx.filters.changes(hexData(id, 'filter id') as Hex)
  },
  async eth_getFilterLogs(ctx, [id]) {
    const f = ctx.filters.get(hexData(id, 'filter id') as Hex)
    return f.kind === 'logs' ? getLogs(ctx, f.criteria) : []
  },
  async eth_uninstallFilter(ctx, [id]) {
    return ctx.filters.uninstall(hexData(id, 'filter id') as Hex)
  },
}
