import type { AgentAccount } from '../account/createAgentAccount.ts'
import { executeCalls, type SendCallsParameters } from '../account/sendCalls.ts'
import type { Guard } from './guard.ts'

/** executeCalls behind the guard: nothing is signed unless the policy allows it (or a human approved it). */
export function guardedExecuteCalls(
  agent: AgentAccount,
  guard: Guard,
  {
    requestedBy,
    note,
    approvalId,
    ...parameters
  }: SendCallsParameters & { requestedBy: string; note?: string; approvalId?: string },
) {
  const action = { requestedBy, account: agent.address, calls: [...parameters.calls], ...(note ? { note } : {}) }
  return guard.run(action, () => executeCalls(agent, parameters), approvalId ? { approvalId } : {})
}
