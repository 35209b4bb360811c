/**
 * Issue 4's devnet setup of the AA contracts (deployed in deploy-seed.ts): each paymaster funded with an
 * EntryPoint deposit, Seed USD minted to the devnet roles.
 */
import { SEED_USD_PER_ETH, SeedTokenPaymasterAbi, SeedUSDAbi } from '@seed/contracts'
import type { Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from 'viem'
import { parseEther, parseUnits } from 'viem'
import { devAccount, ROLES, type Role } from './accounts.ts'
import { DevnetError } from './ports.ts'

type Clients = { publicClient: PublicClient; walletClient: WalletClient<Transport, Chain, Account> }

/** Seed USD units per 1 ETH the token paymaster charges (3,000 USDS/ETH; a constructor constant). */
export const DEVNET_USD_PER_ETH = SEED_USD_PER_ETH
/** Minted to every devnet role except the bundler's keys. */
export const DEVNET_USD_MINT = parseUnits('1000000', 6)
export const PAYMASTER_DEPOSIT = parseEther('100')

export async function fundAaContracts(
  { publicClient, walletClient }: Clients,
  { usd, verifyingPaymaster, tokenPaymaster }: { usd: Address; verifyingPaymaster: Address; tokenPaymaster: Address },
) {
  const wait = async (hash: Hex, name: string) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new DevnetError(`devnet setup failed: ${name} (tx ${hash})`)
  }
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
}
