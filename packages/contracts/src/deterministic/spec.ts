/**
 * What Seed deploys through the deterministic CREATE2 deployer, and with which constructor arguments.
 * Every argument is a constant (never the sender), so each contract lands at the same address on every
 * EVM chain (docs/decisions/0004). scripts/build.ts turns this into src/generated/deployments.ts.
 */
import { type Address, getContractAddress, type Hex, keccak256, stringToHex } from 'viem'

/** Arachnid's deterministic deployer: calldata `salt ‖ initCode`, CREATE2 from its own address. */
export const CREATE2_DEPLOYER: Address = '0x4e59b44847b379578588920ca78fbf26c0b4956c'
/** ERC-4337 EntryPoint v0.7 at its canonical address: the one other prerequisite on a bare chain. */
export const ENTRY_POINT_V07: Address = '0x0000000071727De22E5E9d8BAf0edAc6f37da032'

/**
 * Owner of Seed USD and both paymasters: anvil's account 0 of the well-known test mnemonic (the devnet
 * `deployer`). A constant, so the address is the same everywhere; its key is public, so on a public chain
 * these three are test contracts anyone may administer (decision 0004 says why that beats an initializer).
 */
export const SEED_DEV_OWNER: Address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
/** The verifying paymaster's signer: account 5 of the same mnemonic (the devnet `sponsor`). */
export const SEED_DEV_SPONSOR: Address = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc'
/** Seed USD units per 1 ETH the token paymaster starts with (3,000 USDS/ETH; the owner may change it). */
export const SEED_USD_PER_ETH = 3_000_000_000n

/** One salt for all: the init codes differ, so the addresses do. Bump the tag to redeploy everything. */
export const SEED_SALT: Hex = keccak256(stringToHex('seed/deterministic/v1'))

export type SeedContractName =
  | 'usd'
  | 'seedAccountFactory'
  | 'verifyingPaymaster'
  | 'tokenPaymaster'
  | 'rollupInboxFactory'
  | 'paymentChannel'
  | 'testToken'
  | 'l1StandardBridge'
  | 'identityRegistry'
  | 'reputationRegistry'
  | 'validationRegistry'
  | 'bountyEscrow'

export type SeedDeploymentSpec = {
  name: SeedContractName
  /** The Solidity contract (its generated `<contract>Bytecode`). */
  contract: string
  /** Constructor arguments; may name earlier entries' addresses, never the sender. */
  args: (addresses: Partial<Record<SeedContractName, Address>>) => readonly unknown[]
  /** Contracts its constructor creates (their code deposit counts in the gas estimate). */
  creates?: readonly string[]
}

export const seedDeploymentSpecs: readonly SeedDeploymentSpec[] = [
  { name: 'usd', contract: 'SeedUSD', args: () => [SEED_DEV_OWNER] },
  {
    name: 'seedAccountFactory',
    contract: 'SeedAccountFactory',
    args: () => [ENTRY_POINT_V07],
    creates: ['SeedAccount'],
  },
  {
    name: 'verifyingPaymaster',
    contract: 'SeedVerifyingPaymaster',
    args: () => [ENTRY_POINT_V07, SEED_DEV_SPONSOR, SEED_DEV_OWNER],
  },
  {
    name: 'tokenPaymaster',
    contract: 'SeedTokenPaymaster',
    args: ({ usd }) => [ENTRY_POINT_V07, usd, SEED_USD_PER_ETH, SEED_DEV_OWNER],
  },
  { name: 'rollupInboxFactory', contract: 'RollupInboxFactory', args: () => [], creates: ['SeedPortal'] },
  { name: 'paymentChannel', contract: 'SeedPaymentChannel', args: () => [] },
  { name: 'testToken', contract: 'TestToken', args: () => ['Test Token', 'TST'] },
  {
    name: 'l1StandardBridge',
    contract: 'L1StandardBridge',
    args: ({ rollupInboxFactory }) => [portalOf(rollupInboxFactory!)],
  },
  // ERC-8004 (docs/decisions/0800): no owner, so nothing here names a key.
  { name: 'identityRegistry', contract: 'IdentityRegistry', args: () => [] },
  { name: 'reputationRegistry', contract: 'ReputationRegistry', args: ({ identityRegistry }) => [identityRegistry] },
  { name: 'validationRegistry', contract: 'ValidationRegistry', args: ({ identityRegistry }) => [identityRegistry] },
  // Bounties paid per epoch to ERC-8004 agents (docs/decisions/0802): ownerless too.
  { name: 'bountyEscrow', contract: 'SeedBountyEscrow', args: ({ identityRegistry }) => [identityRegistry] },
]

/** The SeedPortal the RollupInboxFactory's constructor creates (CREATE, nonce 1; docs/decisions/0700). */
export function portalOf(rollupInboxFactory: Address): Address {
  return getContractAddress({ from: rollupInboxFactory, nonce: 1n })
}
