/**
 * The calls that start batching (decisions 0405, 0702): the smart account creates its inbox and funds its
 * batcher, and registers the inbox's bridge config (the portal accepts deposits only then), the proposer's
 * bond riding along as value.
 */
import { BRIDGE_CONFIG_PRESETS, getBridgeConfig, RollupInboxFactoryAbi, registerBridgeConfig } from '@seed/contracts'
import { type Address, encodeFunctionData, type PublicClient, zeroAddress } from 'viem'
import type { Call } from '../../core/services.ts'
import { DEVNET_NETWORK } from '../../core/storage.ts'
import { BATCHER_FUNDING } from './batcher-topup-plan.ts'

export const createInboxCall = (factory: Address, batcher: Address): Call => ({
  to: factory,
  value: BATCHER_FUNDING,
  data: encodeFunctionData({ abi: RollupInboxFactoryAbi, functionName: 'createInbox', args: [batcher] }),
})

/**
 * The one-time bridge config of the agent's chain: the network's preset (seconds on the devnet, OP's windows
 * elsewhere; a devnet whose L1 mines only on demand names a longer force window) with the wallet's derived
 * guardian key as its one Stage-0 guardian (decision 0702).
 */
export const registerBridgeConfigCall = (
  network: string,
  inbox: Address,
  guardian: Address,
  devnetForceWindow?: number,
): Call => {
  const preset =
    network === DEVNET_NETWORK
      ? {
          ...BRIDGE_CONFIG_PRESETS.devnet,
          forceWindow: BigInt(devnetForceWindow ?? BRIDGE_CONFIG_PRESETS.devnet.forceWindow),
        }
      : BRIDGE_CONFIG_PRESETS.mainnet
  return registerBridgeConfig({ inbox, config: { ...preset, guardians: [guardian], threshold: 1n } })
}

/**
 * What starting batching still takes for `smartAccount`: its inbox (the existing one, or the address the
 * factory will give it) and the calls left, none when both the inbox and its bridge config exist.
 */
export async function startBatchingCalls(
  l1: PublicClient,
  p: {
    factory: Address
    smartAccount: Address
    batcher: Address
    guardian: Address
    network: string
    devnetForceWindow?: number
  },
): Promise<{ inbox: Address; exists: boolean; calls: Call[] }> {
  const read = (functionName: 'inboxOf' | 'predictInbox', args: readonly [Address] | readonly [Address, Address]) =>
    l1.readContract({ address: p.factory, abi: RollupInboxFactoryAbi, functionName, args } as never) as Promise<Address>
  let inbox = await read('inboxOf', [p.smartAccount])
  const exists = inbox !== zeroAddress
  if (!exists) inbox = await read('predictInbox', [p.smartAccount, p.batcher])
  const calls: Call[] = []
  if (!exists) calls.push(createInboxCall(p.factory, p.batcher))
  if (!(await getBridgeConfig(l1, { inbox })))
    calls.push(registerBridgeConfigCall(p.network, inbox, p.guardian, p.devnetForceWindow))
  return { inbox, exists, calls }
}
