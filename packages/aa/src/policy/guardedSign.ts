/**
 * Signatures can spend too: an EIP-3009 authorisation (x402 `exact`) moves tokens and an EIP-2612 permit
 * approves them. These map to the equivalent transfer/approve call so the same caps, budgets and approvals
 * apply before the account signs; other typed data and plain messages need an explicit policy allowance.
 */
import { type Address, encodeFunctionData, erc20Abi, type Hex, type TypedDataDefinition } from 'viem'
import type { AgentAccount } from '../account/createAgentAccount.ts'
import type { PolicyCall } from './decodeSpend.ts'
import type { Guard } from './guard.ts'

type AnyTypedData = TypedDataDefinition & { primaryType: string; message: Record<string, unknown> }

/** The calls a typed-data signature is equivalent to, or [] when it is not a known spend. */
export function typedDataSpend(typedData: AnyTypedData): PolicyCall[] {
  const token = typedData.domain?.verifyingContract as Address | undefined
  const m = typedData.message
  if (!token) return []
  if (typedData.primaryType === 'TransferWithAuthorization' || typedData.primaryType === 'ReceiveWithAuthorization') {
    const args = [m.to as Address, BigInt(m.value as bigint)] as const
    return [{ to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args }) }]
  }
  if (typedData.primaryType === 'Permit' && m.spender !== undefined) {
    const args = [m.spender as Address, BigInt(m.value as bigint)] as const
    return [{ to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args }) }]
  }
  return []
}

export function guardedSignTypedData(
  agent: AgentAccount,
  guard: Guard,
  { typedData, requestedBy, approvalId }: { typedData: AnyTypedData; requestedBy: string; approvalId?: string },
): Promise<Hex> {
  const action = {
    requestedBy,
    account: agent.address,
    calls: typedDataSpend(typedData),
    signature: { kind: 'typedData' as const, primaryType: typedData.primaryType },
    note: `sign ${typedData.primaryType}`,
  }
  return guard.run(action, () => agent.account.signTypedData(typedData as never), approvalId ? { approvalId } : {})
}

export function guardedSignMessage(
  agent: AgentAccount,
  guard: Guard,
  { message, requestedBy, approvalId }: { message: string | { raw: Hex }; requestedBy: string; approvalId?: string },
): Promise<Hex> {
  const action = {
    requestedBy,
    account: agent.address,
    calls: [],
    signature: { kind: 'message' as const },
    note: 'sign message',
  }
  return guard.run(action, () => agent.account.signMessage({ message }), approvalId ? { approvalId } : {})
}
