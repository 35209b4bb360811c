/**
 * Creates the stack rollup peer's L1 inbox through the RollupInboxFactory (owner = deployer, sequencer = the
 * `sequencer` role), so the SeedPortal serves it, and registers its bridge config (devnet windows, the deployer
 * as the single Stage 0 guardian): withdrawals from the stack's rollup are proven and finalized on this L1.
 */
import { BRIDGE_CONFIG_PRESETS, getBridgeConfig, RollupInboxFactoryAbi, registerBridgeConfig } from '@seed/contracts'
import {
  type Account,
  type Address,
  type Chain,
  type PublicClient,
  type Transport,
  type WalletClient,
  zeroAddress,
} from 'viem'
import { devAccount } from './accounts.ts'
import { DevnetError } from './ports.ts'

export async function deployRollupInbox(
  {
    publicClient,
    walletClient,
  }: {
    publicClient: PublicClient
    walletClient: WalletClient<Transport, Chain, Account>
  },
  factory: Address,
  { forceWindow = BRIDGE_CONFIG_PRESETS.devnet.forceWindow }: { forceWindow?: bigint } = {},
) {
  const owner = walletClient.account.address
  const inboxOf = () =>
    publicClient.readContract({ address: factory, abi: RollupInboxFactoryAbi, functionName: 'inboxOf', args: [owner] })
  if ((await inboxOf()) === zeroAddress) {
    const hash = await walletClient.writeContract({
      address: factory,
      abi: RollupInboxFactoryAbi,
      functionName: 'createInbox',
      args: [devAccount('sequencer').address],
    })
    if ((await publicClient.waitForTransactionReceipt({ hash })).status !== 'success') {
      throw new DevnetError('deploy failed: RollupInbox (factory createInbox)')
    }
  }
  const inbox = await inboxOf()
  if (!(await getBridgeConfig(publicClient, { inbox }))) {
    const call = registerBridgeConfig({
      inbox,
      config: { ...BRIDGE_CONFIG_PRESETS.devnet, forceWindow, guardians: [owner], threshold: 1n },
    })
    const hash = await walletClient.sendTransaction(call)
    if ((await publicClient.waitForTransactionReceipt({ hash })).status !== 'success') {
      throw new DevnetError('deploy failed: the rollup inbox bridge config')
    }
  }
  return inbox
}

/** The chain id the factory registered for the stack's inbox (SPEC §0): the rollup peer's genesis carries it. */
export async function registeredChainId(
  publicClient: PublicClient,
  { rollupInboxFactory, rollupInbox }: { rollupInboxFactory: Address; rollupInbox: Address },
): Promise<number> {
  const chainId = await publicClient.readContract({
    address: rollupInboxFactory,
    abi: RollupInboxFactoryAbi,
    functionName: 'chainIdOf',
    args: [rollupInbox],
  })
  if (chainId === 0n) throw new DevnetError(`the factory registered no chain id for the rollup inbox ${rollupInbox}`)
  return Number(chainId)
}
