/**
 * Seed's own contracts through the deterministic CREATE2 deployer (docs/decisions/0004): the same addresses
 * as on any other chain, sent by the devnet `deployer` key. Idempotent: only what is missing is sent.
 */
import { findMissingSeedContracts, SEED_DEV_OWNER, seedAddresses, seedDeploymentCalls } from '@seed/contracts'
import { type Account, type Chain, isAddressEqual, type PublicClient, type Transport, type WalletClient } from 'viem'
import { devAccount } from './accounts.ts'
import { DevnetError } from './ports.ts'

type Clients = { publicClient: PublicClient; walletClient: WalletClient<Transport, Chain, Account> }

export async function deploySeedContracts({ publicClient, walletClient }: Clients) {
  // The contracts' owner is a constant; the devnet administers them (mints, deposits) with this key.
  if (!isAddressEqual(SEED_DEV_OWNER, devAccount('deployer').address)) {
    throw new DevnetError('the Seed contracts owner is not the devnet deployer: roles changed?')
  }
  const calls = seedDeploymentCalls(await findMissingSeedContracts(publicClient))
  // Sent back to back (anvil mines each at once), awaited together.
  const sent = []
  for (const call of calls) sent.push({ call, hash: await walletClient.sendTransaction(call) })
  await Promise.all(
    sent.map(async ({ call, hash }) => {
      const receipt = await publicClient.waitForTransactionReceipt({ hash })
      if (receipt.status !== 'success') throw new DevnetError(`deploy failed: ${call.name} (tx ${hash})`)
    }),
  )
  const { seedAccountImplementation: _, ...addresses } = seedAddresses()
  return addresses
}
