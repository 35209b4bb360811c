/**
 * ABIs the explorer decodes calls and logs with: Seed's contracts by address (the manifest's, and the
 * deterministic singletons: bridge, ERC-8004 registries, bounty escrow, the L2 message passer), and by
 * shape for any ERC-20. `knownAbis` is the one list to extend. Pages load this module when they decode
 * (`useKnownAbis`): a dozen ABIs are tens of kB the overview does not need.
 */
import {
  IdentityRegistryAbi,
  L1_STANDARD_BRIDGE,
  L1StandardBridgeAbi,
  L2_TO_L1_MESSAGE_PASSER,
  L2ToL1MessagePasserAbi,
  ReputationRegistryAbi,
  RollupInboxAbi,
  RollupInboxFactoryAbi,
  SEED_PORTAL,
  SeedAccountAbi,
  SeedAccountFactoryAbi,
  SeedBountyEscrowAbi,
  SeedPaymentChannelAbi,
  SeedPortalAbi,
  SeedTokenPaymasterAbi,
  SeedUSDAbi,
  SeedVerifyingPaymasterAbi,
  seedBountyEscrow,
  seedErc8004Registries,
  TestTokenAbi,
} from '@seed/contracts'
import { type Abi, type Address, erc20Abi } from 'viem'
import type { PublicManifest } from './manifest.ts'

export type KnownAbi = { name: string; abi: Abi; address?: Address }

export function knownAbis(manifest: PublicManifest): KnownAbi[] {
  const c = manifest.contracts
  const { identity, reputation } = seedErc8004Registries()
  return [
    { name: 'Seed USD', abi: SeedUSDAbi, address: c.usd },
    { name: 'Test token', abi: TestTokenAbi, address: c.testToken },
    { name: 'RollupInbox', abi: RollupInboxAbi, address: c.rollupInbox },
    { name: 'RollupInboxFactory', abi: RollupInboxFactoryAbi, address: c.rollupInboxFactory },
    { name: 'SeedPaymentChannel', abi: SeedPaymentChannelAbi, address: c.paymentChannel },
    { name: 'SeedAccountFactory', abi: SeedAccountFactoryAbi, address: c.seedAccountFactory },
    { name: 'SeedVerifyingPaymaster', abi: SeedVerifyingPaymasterAbi, address: c.verifyingPaymaster },
    { name: 'SeedTokenPaymaster', abi: SeedTokenPaymasterAbi, address: c.tokenPaymaster },
    { name: 'SeedPortal', abi: SeedPortalAbi, address: SEED_PORTAL },
    { name: 'L1StandardBridge', abi: L1StandardBridgeAbi, address: L1_STANDARD_BRIDGE },
    { name: 'L2ToL1MessagePasser', abi: L2ToL1MessagePasserAbi, address: L2_TO_L1_MESSAGE_PASSER },
    { name: 'IdentityRegistry', abi: IdentityRegistryAbi, address: identity },
    { name: 'ReputationRegistry', abi: ReputationRegistryAbi, address: reputation },
    { name: 'SeedBountyEscrow', abi: SeedBountyEscrowAbi, address: seedBountyEscrow() },
    // By shape only: any inbox of the factory, any Seed account, any ERC-20.
    { name: 'RollupInbox', abi: RollupInboxAbi },
    { name: 'SeedAccount', abi: SeedAccountAbi },
    { name: 'ERC-20', abi: erc20Abi },
  ]
}
