/**
 * Deposits ETH or Seed USD from the smart account into the agent's rollup, to its rollup account: the portal's
 * `depositTransaction` (ETH), or `approve` + the L1StandardBridge's `depositERC20` (Seed USD, minted there as its
 * twin). One L1 user op through the one action pipeline, so the policy prices what leaves: the ETH value, and
 * for Seed USD the approval, which is always part of the op (its amount is what the policy counts, even when an
 * earlier allowance would have covered it).
 */
import type { BridgeTransferParams, Sent } from '@seed/agent/api'
import { type BridgeCall, depositErc20, depositEth, L1_STANDARD_BRIDGE } from '@seed/contracts'
import { encodeFunctionData, erc20Abi, type Hex, toHex } from 'viem'
import type { ResolvedCaller } from '../agent/caller.ts'
import { sendCalls } from '../agent/wallet.ts'
import { parseTransfer } from './amounts.ts'
import { bridgeContext } from './chains.ts'
import { asBridgeRefusal } from './errors.ts'

export async function deposit(caller: ResolvedCaller, params: BridgeTransferParams | unknown): Promise<Sent> {
  const { asset, amount } = parseTransfer(params, 'bridge.deposit')
  const { l1, inbox, smartAccount, rollupAccount, usd } = await bridgeContext()
  let calls: BridgeCall[]
  try {
    if (asset === 'eth') calls = [await depositEth(l1, { inbox, to: rollupAccount, amount })]
    else {
      const built = await depositErc20(l1, { inbox, token: usd, owner: smartAccount, to: rollupAccount, amount })
      const approve = {
        to: usd,
        data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [L1_STANDARD_BRIDGE, amount] }),
        value: 0n,
      }
      calls = built.length === 2 ? built : [approve, ...built]
    }
  } catch (error) {
    asBridgeRefusal(error)
  }
  const [sent] = await sendCalls(
    caller,
    'l1',
    calls.map((c) => ({ to: c.to, data: c.data, ...(c.value ? { value: toHex(c.value) as Hex } : {}) })),
  )
  return sent!
}
