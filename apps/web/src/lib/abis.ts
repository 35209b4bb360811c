/**
 * ABIs the explorer decodes calls and logs with: Seed's contracts by address where the network names
 * them, and by shape for any ERC-20. `knownAbis` is the one list to extend: the ERC-8004 registries
 * join it (with their addresses from the manifest) when they are deployed.
 */
import {
  RollupInboxAbi,
  RollupInboxFactoryAbi,
  SeedAccountAbi,
  SeedAccountFactoryAbi,
  SeedPaymentChannelAbi,
  SeedTokenPaymasterAbi,
  SeedUSDAbi,
  SeedVerifyingPaymasterAbi,
  TestTokenAbi,
} from '@seed/contracts'
import { type Abi, type Address, erc20Abi } from 'viem'
import type { PublicManifest } from './manifest.ts'

export type KnownAbi = { name: string; abi: Abi; address?: Address }

export function knownAbis(manifest: PublicManifest): KnownAbi[] {
  const c = manifest.contracts
  return [
    { name: 'Seed USD', abi: SeedUSDAbi, address: c.usd },
    { name: 'Test token', abi: TestTokenAbi, address: c.testToken },
    { name: 'RollupInbox', abi: RollupInboxAbi, address: c.rollupInbox },
    { name: 'RollupInboxFactory', abi: RollupInboxFactoryAbi, address: c.rollupInboxFactory },
    { name: 'SeedPaymentChannel', abi: SeedPaymentChannelAbi, address: c.paymentChannel },
    { name: 'SeedAccountFactory', abi: SeedAccountFactoryAbi, address: c.seedAccountFactory },
    { name: 'SeedVerifyingPaymaster', abi: SeedVerifyingPaymasterAbi, address: c.verifyingPaymaster },
    { name: 'SeedTokenPaymaster', abi: SeedTokenPaymasterAbi, address: c.tokenPaymaster },
    // By shape only: any inbox of the factory, any Seed account, any ERC-20.
    { name: 'RollupInbox', abi: RollupInboxAbi },
    { name: 'SeedAccount', abi: SeedAccountAbi },
    { name: 'ERC-20', abi: erc20Abi },
  ]
}

/** Tokens an address page shows balances of (symbol and decimals are read from each). */
export function knownTokens(manifest: PublicManifest, layer: 'l1' | 'l2'): Address[] {
  // Seed USD is predeployed at its L1 address on the network's rollup; the test token is L1 only.
  return layer === 'l2' ? [manifest.contracts.usd] : [manifest.contracts.usd, manifest.contracts.testToken]
}
