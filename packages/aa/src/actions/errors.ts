import { SeedAaError } from '../errors.ts'
import type { Verdict } from '../policy/types.ts'

export class PolicyDeniedError extends SeedAaError {
  override name = 'PolicyDeniedError'
  constructor(readonly verdict: Verdict) {
    super(`Policy denied the action: ${verdict.reasons.map((r) => r.code).join(', ')}`, {
      details: verdict.reasons.map((r) => r.message).join('\n'),
    })
  }
}

export class ApprovalRequiredError extends SeedAaError {
  override name = 'ApprovalRequiredError'
  constructor(
    readonly verdict: Verdict,
    readonly approvalId: string,
  ) {
    super(`A human must approve this action first (approval ${approvalId}).`, {
      details: verdict.reasons.map((r) => r.message).join('\n'),
    })
  }
}

export class ActionRejectedError extends SeedAaError {
  override name = 'ActionRejectedError'
  constructor() {
    super('The action was rejected by its approver.')
  }
}
