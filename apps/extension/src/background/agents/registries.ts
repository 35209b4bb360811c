/**
 * The ERC-8004 registries of the active network: the ones its settings name (the public deployments sit
 * at their own addresses), else Seed's deterministic ones (decision 0800).
 */
import { type Erc8004Registries, seedErc8004Registries } from '@seed/contracts'
import { activeNetwork } from '../../core/config.ts'

export async function activeRegistries(): Promise<Erc8004Registries> {
  return (await activeNetwork()).erc8004 ?? seedErc8004Registries()
}
