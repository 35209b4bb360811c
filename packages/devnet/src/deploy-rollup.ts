/**
 * Deploys the stack rollup peer's L1 inbox (RollupInbox: owner = deployer, sequencer = the
 * `sequencer` role) and the RollupInboxFactory each extension's embedded rollup gets its own
 * inbox from (docs/decisions/0405).
 */
import { RollupInboxAbi, RollupInboxBytecode, RollupInboxFactoryAbi, RollupInboxFactoryBytecode } from '@seed/contracts'
import type { Account, Chain, PublicClient, Transport, WalletClient } from 'viem'
import { devAccount } from './accounts.ts'
import { DevnetError } from './ports.ts'

export async function deployRollup({
  publicClient,
  walletClient,
}: {
  publicClient: PublicClient
  walletClient: WalletClient<Transport, Chain, Account>
}) {
  const hash = await walletClient.deployContract({
    abi: RollupInboxAbi,
    bytecode: RollupInboxBytecode,
    args: [walletClient.account.address, devAccount('sequencer').address],
  })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  if (!receipt.contractAddress) throw new DevnetError('deploy failed: RollupInbox')
  const factoryHash = await walletClient.deployContract({
    abi: RollupInboxFactoryAbi,
    bytecode: RollupInboxFactoryBytecode,
    args: [],
  })
  const factory = await publicClient.waitForTransactionReceipt({ hash: factoryHash })
  if (!factory.contractAddress) throw new DevnetError('deploy failed: RollupInboxFactory')
  return { rollupInbox: receipt.contractAddress, rollupInboxFactory: factory.contractAddress }
}
