/**
 * Where the ERC-8004 registries are on a chain. Seed deploys its own at deterministic addresses
 * (docs/decisions/0800); a network may name others (the public ERC-8004 deployments use fixed vanity
 * addresses), which is why every action takes them as a parameter instead of assuming Seed's.
 */
import type { Address } from 'viem'
import { seedDeployments } from '../generated/deployments.ts'

export type Erc8004Registries = { identity: Address; reputation: Address; validation: Address }

const addressOf = (name: 'identityRegistry' | 'reputationRegistry' | 'validationRegistry') => {
  const deployment = seedDeployments.find((d) => d.name === name)
  if (!deployment) throw new Error(`no deterministic deployment named ${name}`)
  return deployment.address as Address
}

/** Seed's own registries: the same on every chain where Seed's contracts are deployed. */
export function seedErc8004Registries(): Erc8004Registries {
  return {
    identity: addressOf('identityRegistry'),
    reputation: addressOf('reputationRegistry'),
    validation: addressOf('validationRegistry'),
  }
}

/** `{namespace}:{chainId}:{identityRegistry}`: the registry part of an agent's global id. */
export function agentRegistryId(chainId: number, identity: Address): string {
  return `eip155:${chainId}:${identity}`
}
