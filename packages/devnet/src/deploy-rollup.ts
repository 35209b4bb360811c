/**
 * Deploys the stack rollup peer's L1 inbox (RollupInbox: owner = deployer, sequencer = the `sequencer`
 * role). It belongs to this stack, not to Seed, so a plain deployment; the RollupInboxFactory each
 * extension's embedded rollup gets its own inbox from (docs/decisions/0405) is in deploy-seed.ts.
 */
import { RollupInboxAbi, RollupInboxBytecode } from '@seed/contracts'
import type { Account, Chain, PublicClient, Transport, WalletClient } from 'viem'
import { devAccount } from './accounts.ts'
import { DevnetError } from './ports.ts'

export async function deployRollupInbox({
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
  return receipt.contractAddress
}
