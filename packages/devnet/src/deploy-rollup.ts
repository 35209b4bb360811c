/** Deploys the rollup's L1 inbox (RollupInbox): owner = deployer, sequencer = the `sequencer` role. */
import { RollupInboxAbi, RollupInboxBytecode } from '@seed/contracts'
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
  return { rollupInbox: receipt.contractAddress }
}
