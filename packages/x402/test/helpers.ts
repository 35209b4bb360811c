/** Shared set-up for the x402 integration tests: devnet clients, funded payers, a sold test service. */

import { SeedPaymentChannelAbi, SeedUSDAbi } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  type PrivateKeyAccount,
  parseEther,
  toHex,
} from 'viem'
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

/** A contract call sent by `account` on the devnet L1; fails on a revert. */
export async function send(
  account: PrivateKeyAccount,
  call: { address: Address; abi: unknown; functionName: string; args: unknown[] },
) {
  const wallet = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account })
  const hash = await wallet.writeContract(call as never)
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`tx reverted: ${call.functionName}`)
  return receipt
}

const gasFunder = createWalletClient({
  chain: foundry,
  transport: http(manifest.l1.rpcUrl),
  account: devAccount('user'),
})

/** Gives `account` 1 ETH of gas from the devnet's `user`. */
export async function withGas<A extends PrivateKeyAccount>(account: A): Promise<A> {
  await publicClient.waitForTransactionReceipt({
    hash: await gasFunder.sendTransaction({ to: account.address, value: parseEther('1') }),
  })
  return account
}

/** A funded EOA payer (with gas) that opened a SeedPaymentChannel of `deposit` Seed USD to `payee`. */
export async function openChannel(payee: Address, deposit: bigint, closeDelay = 3600n) {
  const contract = manifest.contracts.paymentChannel
  const payer = await withGas(await fundedEoa(deposit))
  await send(payer, { address: usd, abi: SeedUSDAbi, functionName: 'approve', args: [contract, deposit] })
  const salt = keccak256(toHex(Math.random().toString()))
  await send(payer, {
    address: contract,
    abi: SeedPaymentChannelAbi,
    functionName: 'open',
    args: [payee, usd, deposit, closeDelay, salt],
  })
  const channelId = (await publicClient.readContract({
    address: contract,
    abi: SeedPaymentChannelAbi,
    functionName: 'channelId',
    args: [payer.address, payee, usd, salt],
  })) as Hex
  return { payer, channelId }
}
