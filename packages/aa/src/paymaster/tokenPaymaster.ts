/**
 * Paying gas in Seed USD through SeedTokenPaymaster: validation pre-charges the worst case in USD (the account
 * must have approved the paymaster beforehand, e.g. with `approveTokenPaymaster` in an earlier op), postOp
 * refunds the rest. No off-chain signature: the paymaster data is empty.
 */
import { type Address, encodeFunctionData, erc20Abi, maxUint256 } from 'viem'
import type { Paymaster } from '../account/createAgentAccount.ts'
import type { Call } from '../account/sendCalls.ts'

/** Matches SeedTokenPaymaster.POST_OP_GAS: what the contract charges for its postOp. */
const POST_OP_GAS = 50_000n

export function tokenPaymaster({ address }: { address: Address }): Paymaster {
  const data = { paymaster: address, paymasterData: '0x' as const, paymasterPostOpGasLimit: POST_OP_GAS }
  return {
    async getPaymasterStubData() {
      return data
    },
    async getPaymasterData() {
      return data
    },
  }
}

/** The approval the token paymaster needs before it can charge the account. */
export function approveTokenPaymaster({
  token,
  paymaster,
  amount = maxUint256,
}: {
  token: Address
  paymaster: Address
  amount?: bigint
}): Call {
  return { to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [paymaster, amount] }) }
}
