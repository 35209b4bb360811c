/**
 * Paying gas in Seed USD through SeedTokenPaymaster: validation checks the account holds and has approved the
 * worst case (approve beforehand, e.g. with `approveTokenPaymaster` in an earlier op), postOp pulls the actual
 * cost at the owner-set rate. No off-chain signature: the paymaster data is empty; the bundler estimates gas.
 */
import { type Address, encodeFunctionData, erc20Abi, maxUint256 } from 'viem'
import type { Paymaster } from '../account/createAgentAccount.ts'
import type { Call } from '../account/sendCalls.ts'

export function tokenPaymaster({ address }: { address: Address }): Paymaster {
  // postOp = one transferFrom on slots validation already warmed; the contract charges POST_OP_GAS (50k) for it.
  const data = { paymaster: address, paymasterData: '0x' as const, paymasterPostOpGasLimit: 60_000n }
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
