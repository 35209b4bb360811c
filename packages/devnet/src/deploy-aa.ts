/**
 * Issue 4's devnet contracts: Seed USD, the SeedAccount factory and the two paymasters (verifying, signed by
 * the `sponsor` role; token, paid in Seed USD), each paymaster funded with an EntryPoint deposit.
 */
import {
  SeedAccountFactoryAbi,
  SeedAccountFactoryBytecode,
  SeedTokenPaymasterAbi,
  SeedTokenPaymasterBytecode,
  SeedUSDAbi,
  SeedUSDBytecode,
  SeedVerifyingPaymasterAbi,
  SeedVerifyingPaymasterBytecode,
} from '@seed/contracts'
import type { Abi, Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from 'viem'
import { parseEther, parseUnits } from 'viem'
import { entryPoint07Address as ENTRY_POINT_V07 } from 'viem/account-abstraction'
import { devAccount, ROLES, type Role } from './accounts.ts'
import { DevnetError } from './ports.ts'

type Clients = { publicClient: PublicClient; walletClient: WalletClient<Transport, Chain, Account> }

/** Seed USD units per 1 ETH the token paymaster charges (3,000 USDS/ETH). */
export const DEVNET_USD_PER_ETH = parseUnits('3000', 6)
/** Minted to every devnet role except the bundler's keys. */
export const DEVNET_USD_MINT = parseUnits('1000000', 6)
export const PAYMASTER_DEPOSIT = parseEther('100')

export async function deployAaContracts({ publicClient, walletClient }: Clients) {
  const owner = walletClient.account.address
  const wait = async (hash: Hex, name: string) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new DevnetError(`deploy failed: ${name} (tx ${hash})`)
    return receipt
  }
  const deploy = async (name: string, abi: Abi, bytecode: Hex, args: readonly unknown[]) => {
    const receipt = await wait(await walletClient.deployContract({ abi, bytecode, args } as never), name)
    if (!receipt.contractAddress) throw new DevnetError(`deploy failed: ${name}`)
    return receipt.contractAddress
  }

  const usd = await deploy('SeedUSD', SeedUSDAbi, SeedUSDBytecode, [owner])
  const seedAccountFactory = await deploy('SeedAccountFactory', SeedAccountFactoryAbi, SeedAccountFactoryBytecode, [
    ENTRY_POINT_V07,
  ])
  const verifyingPaymaster = await deploy(
    'SeedVerifyingPaymaster',
    SeedVerifyingPaymasterAbi,
    SeedVerifyingPaymasterBytecode,
    [ENTRY_POINT_V07, devAccount('sponsor').address, owner],
  )
  const tokenPaymaster = await deploy('SeedTokenPaymaster', SeedTokenPaymasterAbi, SeedTokenPaymasterBytecode, [
    ENTRY_POINT_V07,
    usd,
    DEVNET_USD_PER_ETH,
    owner,
  ])
  for (const [name, paymaster] of [
    ['verifying', verifyingPaymaster],
    ['token', tokenPaymaster],
  ] as const) {
    const hash = await walletClient.writeContract({
      address: paymaster,
      abi: SeedTokenPaymasterAbi,
      functionName: 'deposit',
      value: PAYMASTER_DEPOSIT,
    })
    await wait(hash, `${name} paymaster deposit`)
  }
  const holders = (Object.keys(ROLES) as Role[]).filter((r) => !r.startsWith('bundler'))
  for (const role of holders) {
    const to: Address = devAccount(role).address
    const hash = await walletClient.writeContract({
      address: usd,
      abi: SeedUSDAbi,
      functionName: 'mint',
      args: [to, DEVNET_USD_MINT],
    })
    await wait(hash, `mint USDS to ${role}`)
  }
  return { usd, seedAccountFactory, verifyingPaymaster, tokenPaymaster }
}
