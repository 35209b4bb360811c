/** Runs any approved request: chain grants here, everything that acts for the account in execute.ts. */
import type { Executor } from '../approvals/approvals.ts'
import { CHAIN_APPROVAL_METHODS, grantApprovedChain } from '../provider/chain-approval.ts'
import { execute } from './execute.ts'

export const executeRequest: Executor = (request, journal) =>
  CHAIN_APPROVAL_METHODS.has(request.method) ? grantApprovedChain(request) : execute(request, journal)
