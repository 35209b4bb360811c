/**
 * The EIP-712 message a new agent wallet signs for `setAgentWallet`: the registry's own domain
 * (`ERC8004IdentityRegistry`, version 1, this chain, this registry), so the proof is good for nothing else.
 */
import type { Address } from 'viem'

export const AGENT_WALLET_SET_TYPES = {
  AgentWalletSet: [
    { name: 'agentId', type: 'uint256' },
    { name: 'newWallet', type: 'address' },
    { name: 'owner', type: 'address' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const

/** The registry allows at most five minutes between now and a proof's deadline. */
export const AGENT_WALLET_MAX_DEADLINE_DELAY_S = 300n

export function agentWalletTypedData(p: {
  chainId: number
  identity: Address
  agentId: bigint
  newWallet: Address
  owner: Address
  deadline: bigint
}) {
  return {
    domain: { name: 'ERC8004IdentityRegistry', version: '1', chainId: p.chainId, verifyingContract: p.identity },
    types: AGENT_WALLET_SET_TYPES,
    primaryType: 'AgentWalletSet',
    message: { agentId: p.agentId, newWallet: p.newWallet, owner: p.owner, deadline: p.deadline },
  } as const
}
