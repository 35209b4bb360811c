/** Send calls as one user operation through the bundler, and wait for its receipt. */
import type { Address, Hash, Hex } from 'viem'
import type { UserOperationReceipt } from 'viem/account-abstraction'
import { SeedAaError } from '../errors.ts'
import type { AgentAccount, Paymaster } from './createAgentAccount.ts'

export type Call = { to: Address; value?: bigint; data?: Hex }

export type SendCallsParameters = {
  calls: readonly Call[]
  /** Overrides the agent's default paymaster; `false` = pay from the account. */
  paymaster?: Paymaster | false
  /** 192-bit nonce key: ops under different keys don't wait for each other. Default: the lowest free key. */
  nonceKey?: bigint
}

export class UserOperationRevertedError extends SeedAaError {
  override name = 'UserOperationRevertedError'
  constructor(readonly receipt: UserOperationReceipt) {
    super(`User operation ${receipt.userOpHash} reverted on-chain (tx ${receipt.receipt.transactionHash}).`, {
      details: receipt.reason,
    })
  }
}

/**
 * Nonce keys in flight per account. An op takes the lowest free key and holds it until its receipt, so
 * sequential ops reuse key 0 (a warm EntryPoint nonce slot: ~17k gas cheaper than a fresh key) and concurrent
 * ops spread over keys 1, 2, … without waiting for each other.
 */
const busyKeys = new WeakMap<AgentAccount, Set<bigint>>()

async function submit(agent: AgentAccount, { calls, paymaster, nonceKey }: SendCallsParameters): Promise<Hash> {
  const chosen = paymaster === false ? undefined : (paymaster ?? agent.paymaster)
  const busy = busyKeys.get(agent) ?? new Set<bigint>()
  busyKeys.set(agent, busy)
  let key = nonceKey ?? 0n
  if (nonceKey === undefined) while (busy.has(key)) key++
  busy.add(key)
  const release = () => busy.delete(key)
  try {
    const hash = await agent.bundler.sendUserOperation({
      account: agent.account,
      calls: calls as Call[],
      nonce: await agent.account.getNonce({ key }),
      ...(chosen ? { paymaster: chosen } : {}),
    } as never)
    agent.bundler.waitForUserOperationReceipt({ hash, timeout: 120_000 }).then(release, release)
    return hash
  } catch (error) {
    release()
    throw error
  }
}

/**
 * Returns the user operation hash once the bundler accepted it. Safe to call concurrently: each in-flight op
 * holds its own nonce key, and while the account is undeployed only one op carries the initCode.
 */
export async function sendCalls(agent: AgentAccount, parameters: SendCallsParameters): Promise<Hash> {
  for (;;) {
    if (agent.deploying) {
      await agent.deploying
      continue
    }
    if (await agent.account.isDeployed()) return submit(agent, parameters)
    if (agent.deploying) continue // another caller took the deployment while we awaited
    let release = () => {}
    agent.deploying = new Promise<void>((resolve) => {
      release = () => {
        agent.deploying = undefined
        resolve()
      }
    })
    try {
      const hash = await submit(agent, parameters)
      waitForCalls(agent, { hash, allowRevert: true }).then(release, release)
      return hash
    } catch (error) {
      release()
      throw error
    }
  }
}

export async function waitForCalls(
  agent: AgentAccount,
  { hash, allowRevert = false, timeout = 60_000 }: { hash: Hash; allowRevert?: boolean; timeout?: number },
): Promise<UserOperationReceipt> {
  const receipt = await agent.bundler.waitForUserOperationReceipt({ hash, timeout })
  if (!receipt.success && !allowRevert) throw new UserOperationRevertedError(receipt)
  return receipt
}

/** sendCalls + waitForCalls; throws UserOperationRevertedError if the calls reverted. */
export async function executeCalls(agent: AgentAccount, parameters: SendCallsParameters) {
  return waitForCalls(agent, { hash: await sendCalls(agent, parameters) })
}
