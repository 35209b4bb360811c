/** A chain's bridge config: read it, or build the one-time registration its inbox owner sends. */
import { type Address, encodeFunctionData, isAddressEqual } from 'viem'
import { readContract } from 'viem/actions'
import { SeedPortalAbi } from '../generated/SeedPortal.ts'
import { type BridgeConfigPreset, SEED_PORTAL } from './constants.ts'
import { BridgeNotConfiguredError, InvalidBridgeConfigError } from './errors.ts'
import type { BridgeCall, L1Client } from './types.ts'

export type BridgeConfig = BridgeConfigPreset & { guardians: readonly Address[]; threshold: bigint }

const MAX_GUARDIANS = 16
const MAX_DEPOSIT_GAS_PER_L1_BLOCK = 20_000_000n

/** The chain's registered config, or null before its owner registered one. */
export async function getBridgeConfig(client: L1Client, { inbox }: { inbox: Address }): Promise<BridgeConfig | null> {
  const config = await readContract(client, {
    address: SEED_PORTAL,
    abi: SeedPortalAbi,
    functionName: 'configOf',
    args: [inbox],
  })
  return config.threshold === 0n ? null : config
}

/** The registered config, or BridgeNotConfiguredError. */
export async function requireBridgeConfig(client: L1Client, { inbox }: { inbox: Address }): Promise<BridgeConfig> {
  const config = await getBridgeConfig(client, { inbox })
  if (!config) throw new BridgeNotConfiguredError(inbox)
  return config
}

/**
 * The inbox owner's one-time registration (immutable afterwards). `proposerBond` (default: the challenge
 * bond) rides along as value: it pays whoever proves one of this chain's outputs invalid.
 */
export function registerBridgeConfig({
  inbox,
  config,
  proposerBond = config.challengeBond,
}: {
  inbox: Address
  config: BridgeConfig
  proposerBond?: bigint
}): BridgeCall {
  checkBridgeConfig(config)
  if (proposerBond < config.challengeBond) throw new InvalidBridgeConfigError('proposer bond below the challenge bond')
  // The portal wants guardians strictly ascending: sort here so callers need not.
  const guardians = [...config.guardians].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
  return {
    to: SEED_PORTAL,
    data: encodeFunctionData({
      abi: SeedPortalAbi,
      functionName: 'registerConfig',
      args: [inbox, { ...config, guardians }],
    }),
    value: proposerBond,
  }
}

/** The portal's checks, before anything is sent. */
function checkBridgeConfig(c: BridgeConfig) {
  const n = c.guardians.length
  if (n === 0 || n > MAX_GUARDIANS) throw new InvalidBridgeConfigError(`1 to ${MAX_GUARDIANS} guardians`)
  if (
    new Set(c.guardians.map((g) => g.toLowerCase())).size !== n ||
    c.guardians.some((g) => isAddressEqual(g, '0x0000000000000000000000000000000000000000'))
  )
    throw new InvalidBridgeConfigError('guardians must be distinct non-zero addresses')
  if (c.threshold < 1n || c.threshold > BigInt(n)) throw new InvalidBridgeConfigError('threshold outside 1..guardians')
  if (c.challengeWindow <= 0n || c.forceWindow <= 0n) throw new InvalidBridgeConfigError('windows must be positive')
  if (c.challengeBond <= 0n) throw new InvalidBridgeConfigError('challenge bond must be positive')
  if (c.maxDepositGasPerBlock < 21_000n || c.maxDepositGasPerBlock > MAX_DEPOSIT_GAS_PER_L1_BLOCK)
    throw new InvalidBridgeConfigError(`max deposit gas per block within 21000..${MAX_DEPOSIT_GAS_PER_L1_BLOCK}`)
}
