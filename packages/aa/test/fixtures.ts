/** Shared helpers for the aa integration tests (the devnet comes from the global setup). */

import { SeedUSDAbi } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import { type Address, createPublicClient, createWalletClient, http, parseEther } from 'viem'
import { generatePrivateKey, type LocalAccount, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { inject } from 'vitest'
import { type CreateAgentAccountParameters, createAgentAccount } from '../src/account/createAgentAccount.ts'

export const manifest = inject('manifest')
export const publicClient = createPublicClient({
  chain: foundry,
  transport: http(manifest.l1.rpcUrl),
  pollingInterval: 50,
})
/** The `user` role funds test accounts (ETH and Seed USD). */
export const funder = createWalletClient({
  chain: foundry,
  transport: http(manifest.l1.rpcUrl),
  account: devAccount('user'),
})

export const randomAccount = () => privateKeyToAccount(generatePrivateKey())
export const randomAddress = () => randomAccount().address

export async function fundEth(to: Address, amount = parseEther('1')) {
  await publicClient.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to, value: amount }) })
}

export async function fundUsd(to: Address, amount: bigint) {
  const hash = await funder.writeContract({
    address: manifest.contracts.usd,
    abi: SeedUSDAbi,
    functionName: 'transfer',
    args: [to, amount],
  })
  await publicClient.waitForTransactionReceipt({ hash })
}

export const usdBalance = (address: Address) =>
  publicClient.readContract({
    address: manifest.contracts.usd,
    abi: SeedUSDAbi,
    functionName: 'balanceOf',
    args: [address],
  })

export function newAgent(params: Partial<CreateAgentAccountParameters> & { owner?: LocalAccount } = {}) {
  return createAgentAccount(publicClient, {
    factoryAddress: manifest.contracts.seedAccountFactory,
    bundlerUrl: manifest.bundler.url,
    owner: params.sessionKey ? undefined : (params.owner ?? randomAccount()),
    ...params,
  })
}
