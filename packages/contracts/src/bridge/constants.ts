/**
 * The bridge's fixed points (docs/decisions/0700): the L1 singletons' deterministic addresses, the L2
 * predeploys every Seed chain has, OP's address aliasing, and the config presets.
 */
import { type Address, getAddress, type Hex } from 'viem'
import { seedDeployments, seedPortal } from '../generated/deployments.ts'

/** The SeedPortal (created by the RollupInboxFactory's constructor): deposits, challenges, withdrawals. */
export const SEED_PORTAL: Address = seedPortal
/** The L1StandardBridge: ERC-20 escrow per chain and token. */
export const L1_STANDARD_BRIDGE: Address = seedDeployments.find((d) => d.name === 'l1StandardBridge')!.address
/** L2 predeploy recording withdrawals in `sentMessages` (storage slot 0). */
export const L2_TO_L1_MESSAGE_PASSER: Address = '0x4200000000000000000000000000000000000016'
/** L2 predeploy minting and burning ERC-20 twins. */
export const L2_STANDARD_BRIDGE: Address = '0x4200000000000000000000000000000000000010'
/** Storage slot of `sentMessages` in the message passer. */
export const SENT_MESSAGES_SLOT = 0n

const ALIAS_OFFSET = 0x1111000000000000000000000000000000001111n
const ADDRESS_SPACE = 1n << 160n

/** The L2 sender of a deposit made by an L1 contract (OP's aliasing: + 0x1111…1111 mod 2^160). */
export function applyL1ToL2Alias(l1Address: Address): Address {
  const aliased = (BigInt(l1Address) + ALIAS_OFFSET) % ADDRESS_SPACE
  return getAddress(`0x${aliased.toString(16).padStart(40, '0')}` as Hex)
}

/** The L1 contract behind an aliased L2 sender. */
export function undoL1ToL2Alias(l2Address: Address): Address {
  const original = (BigInt(l2Address) - ALIAS_OFFSET + ADDRESS_SPACE) % ADDRESS_SPACE
  return getAddress(`0x${original.toString(16).padStart(40, '0')}` as Hex)
}

/** The L2 sender of every ERC-20 deposit: the L1StandardBridge's alias (what L2StandardBridge accepts). */
export const L1_STANDARD_BRIDGE_L2_ALIAS: Address = applyL1ToL2Alias(L1_STANDARD_BRIDGE)

/** Windows, bond and deposit gas of a chain's bridge, without its guardians. */
export type BridgeConfigPreset = {
  challengeWindow: bigint
  forceWindow: bigint
  challengeBond: bigint
  maxDepositGasPerBlock: bigint
}

/** Devnet: seconds, so tests travel past them; mainnet: OP's 7-day challenge window, a 12 h force window. */
export const BRIDGE_CONFIG_PRESETS = {
  devnet: {
    challengeWindow: 60n,
    forceWindow: 120n,
    challengeBond: 10n ** 16n,
    maxDepositGasPerBlock: 20_000_000n,
  },
  mainnet: {
    challengeWindow: 7n * 24n * 3600n,
    forceWindow: 12n * 3600n,
    challengeBond: 10n ** 17n,
    maxDepositGasPerBlock: 20_000_000n,
  },
} as const satisfies Record<string, BridgeConfigPreset>
