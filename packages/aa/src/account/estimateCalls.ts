/** What an op would cost before sending it: bundler gas estimate × bundler fee, for the approval UI. */
import type { AgentAccount, Paymaster } from './createAgentAccount.ts'
import type { Call } from './sendCalls.ts'

export type CallsEstimate = {
  callGasLimit: bigint
  verificationGasLimit: bigint
  preVerificationGas: bigint
  paymasterVerificationGasLimit: bigint
  paymasterPostOpGasLimit: bigint
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
  /** Upper bound in wei the EntryPoint reserves (all gas limits × maxFeePerGas); actual cost is lower. */
  maxCost: bigint
  /** Whether the op would deploy the account (its first op). */
  deploys: boolean
}

export async function estimateCalls(
  agent: AgentAccount,
  { calls, paymaster }: { calls: readonly Call[]; paymaster?: Paymaster | false },
): Promise<CallsEstimate> {
  const chosen = paymaster === false ? undefined : (paymaster ?? agent.paymaster)
  const op = (await agent.bundler.prepareUserOperation({
    account: agent.account,
    calls: calls as Call[],
    ...(chosen ? { paymaster: chosen } : {}),
  } as never)) as unknown as Record<string, bigint | string | undefined>
  const big = (k: string) => (typeof op[k] === 'bigint' ? (op[k] as bigint) : 0n)
  const gas =
    big('callGasLimit') +
    big('verificationGasLimit') +
    big('preVerificationGas') +
    big('paymasterVerificationGasLimit') +
    big('paymasterPostOpGasLimit')
  return {
    callGasLimit: big('callGasLimit'),
    verificationGasLimit: big('verificationGasLimit'),
    preVerificationGas: big('preVerificationGas'),
    paymasterVerificationGasLimit: big('paymasterVerificationGasLimit'),
    paymasterPostOpGasLimit: big('paymasterPostOpGasLimit'),
    maxFeePerGas: big('maxFeePerGas'),
    maxPriorityFeePerGas: big('maxPriorityFeePerGas'),
    maxCost: gas * big('maxFeePerGas'),
    deploys: typeof op.factory === 'string',
  }
}
