/**
 * Issue 7's devnet contracts: the x402 payment-channel contract, and Multicall3 at its canonical address
 * (x402's EVM facilitator reads through it; anvil does not have it).
 */
import { Multicall3DeployedBytecode, SeedPaymentChannelAbi, SeedPaymentChannelBytecode } from '@seed/contracts'
import type { Account, Chain, PublicClient, Transport, WalletClient } from 'viem'
import { DevnetError } from './ports.ts'

export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11' as const

type Clients = { publicClient: PublicClient; walletClient: WalletClient<Transport, Chain, Account> }

export async function deployX402Contracts({ publicClient, walletClient }: Clients) {
  await publicClient.request({
    method: 'anvil_setCode',
    params: [MULTICALL3_ADDRESS, Multicall3DeployedBytecode],
  } as never)
  const hash = await walletClient.deployContract({ abi: SeedPaymentChannelAbi, bytecode: SeedPaymentChannelBytecode })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  if (!receipt.contractAddress) throw new DevnetError('deploy failed: SeedPaymentChannel')
  return { paymentChannel: receipt.contractAddress }
}
