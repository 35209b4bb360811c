/** Shared set-up for the x402 integration tests: devnet clients, funded payers, a sold test service. */

import { SeedUSDAbi } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import { type Address, createPublicClient, createWalletClient, http, type PrivateKeyAccount } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { inject } from 'vitest'
import { caip2 } from '../src/networks.ts'

export const manifest = inject('manifest')
export const network = caip2(manifest.l1.chainId)
export const usd = manifest.contracts.usd
export const publicClient = createPublicClient({
  chain: foundry,
  transport: http(manifest.l1.rpcUrl),
  pollingInterval: 25,
})
const deployer = createWalletClient({
  chain: foundry,
  transport: http(manifest.l1.rpcUrl),
  account: devAccount('deployer'),
})

export async function mintUsd(to: Address, amount: bigint) {
  const hash = await deployer.writeContract({ address: usd, abi: SeedUSDAbi, functionName: 'mint', args: [to, amount] })
  await publicClient.waitForTransactionReceipt({ hash })
}

export async function usdBalance(of: Address) {
  return publicClient.readContract({ address: usd, abi: SeedUSDAbi, functionName: 'balanceOf', args: [of] })
}

export async function fundedEoa(amount: bigint): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey())
  if (amount > 0n) await mintUsd(account.address, amount)
  return account
}

export function freshAddress(): Address {
  return privateKeyToAccount(generatePrivateKey()).address
}
