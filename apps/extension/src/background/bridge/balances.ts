/**
 * Both sides of the bridge: the smart account's ETH and Seed USD on L1, the rollup account's ETH and Seed USD
 * twin on the rollup (what deposits mint and withdrawals burn). A side that does not answer is left out.
 */
import { l2TwinAddress } from '@seed/contracts'
import { erc20Abi, formatEther, formatUnits } from 'viem'
import { getBalance, readContract } from 'viem/actions'
import type { BridgeContext } from './chains.ts'

export type BridgeBalances = { l1?: { eth: string; usd: string }; rollup?: { eth: string; usd: string } }

export async function bridgeBalances(ctx: BridgeContext): Promise<BridgeBalances> {
  const usdOf = (client: BridgeContext['l1'] | BridgeContext['l2'], token: typeof ctx.usd, owner: typeof ctx.usd) =>
    readContract(client, { address: token, abi: erc20Abi, functionName: 'balanceOf', args: [owner] }).catch(
      () => 0n, // no such token on that side yet (the twin is created by the first deposit)
    )
  const [l1, rollup] = await Promise.all([
    Promise.all([getBalance(ctx.l1, { address: ctx.smartAccount }), usdOf(ctx.l1, ctx.usd, ctx.smartAccount)]).catch(
      () => undefined,
    ),
    Promise.all([
      getBalance(ctx.l2, { address: ctx.rollupAccount }),
      usdOf(ctx.l2, l2TwinAddress(ctx.usd), ctx.rollupAccount),
    ]).catch(() => undefined),
  ])
  const side = (pair: [bigint, bigint] | undefined) =>
    pair && { eth: formatEther(pair[0]), usd: formatUnits(pair[1], 6) }
  return { ...(l1 ? { l1: side(l1) } : {}), ...(rollup ? { rollup: side(rollup) } : {}) }
}
