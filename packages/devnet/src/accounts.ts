import { mnemonicToAccount } from 'viem/accounts'

/** anvil's default mnemonic: well-known, devnet only. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk'

/** Which anvil account plays which role. One place, so roles never collide. */
export const ROLES = {
  deployer: 0,
  bundlerExecutor: 1,
  bundlerUtility: 2,
  sequencer: 3,
  facilitator: 4,
  /** Signs the devnet verifying paymaster's sponsorships. */
  sponsor: 5,
  /** Free for tests and the user (funded with 10,000 ETH). */
  user: 9,
} as const

export type Role = keyof typeof ROLES

export function devAccount(role: Role) {
  return mnemonicToAccount(DEV_MNEMONIC, { addressIndex: ROLES[role] })
}

export function devPrivateKey(role: Role): `0x${string}` {
  const key = devAccount(role).getHdKey().privateKey
  if (!key) throw new Error('no private key')
  return `0x${Buffer.from(key).toString('hex')}`
}
