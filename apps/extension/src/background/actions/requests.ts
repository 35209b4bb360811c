/** Runs any approved request: chain grants and bounty epochs here, everything that acts for the account in execute.ts. */

import { BOUNTY_EPOCH_METHOD } from '../../core/protocol.ts'
import type { Executor } from '../approvals/approvals.ts'
import { approveEpoch } from '../bounties/epoch-approval.ts'
import { CHAIN_APPROVAL_METHODS, grantApprovedChain } from '../provider/chain-approval.ts'
import { execute } from './execute.ts'

export const executeRequest: Executor = (request, journal) => {
  if (CHAIN_APPROVAL_METHODS.has(request.method)) return grantApprovedChain(request)
  if (request.method === BOUNTY_EPOCH_METHOD) return approveEpoch(request)
  return execute(request, journal)
}
