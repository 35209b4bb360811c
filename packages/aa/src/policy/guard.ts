/**
 * The stateful side of the policy engine: policy state, pending human approvals, the kill switch and the
 * audit log, all persisted through the KeyValueStorage. `run` is the gate an agent action goes through:
 * check → (deny | needs-approval | allow → reserve spend → execute) with every step in the audit log.
 */
import { SeedAaError } from '../errors.ts'
import type { KeyValueStorage } from '../storage.ts'
import { selectorOf } from './decodeSpend.ts'
import { evaluatePolicy, recordAction } from './evaluatePolicy.ts'
import { type Action, initialPolicyState, type Policy, type PolicyState, type Verdict } from './types.ts'

export type AuditEntry = {
  id: string
  at: string
  event: 'check' | 'approval' | 'executed' | 'failed' | 'freeze' | 'unfreeze'
  /** Who asked for the action, or who approved / froze. */
  by: string
  account?: string
  calls?: { to: string; value: string; selector: string }[]
  decision?: Verdict['decision']
  reasons?: Verdict['reasons']
  approvalId?: string
  note?: string
}

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

type Pending = { action: string; status: 'pending' | 'approved' | 'rejected' | 'used' }

export type Guard = ReturnType<typeof createGuard>

const actionKey = (a: Action) =>
  JSON.stringify([
    a.account.toLowerCase(),
    a.calls.map((c) => [c.to.toLowerCase(), String(c.value ?? 0n), c.data ?? '0x']),
  ])

export function createGuard({
  storage,
  policy,
  name = 'default',
  now = () => Date.now(),
}: {
  storage: KeyValueStorage
  policy: Policy
  name?: string
  now?: () => number
}) {
  const keys = {
    state: `seed.policy.${name}.state`,
    audit: `seed.policy.${name}.audit`,
    pending: `seed.policy.${name}.pending`,
  }
  // One mutation at a time: concurrent actions must not both fit the same remaining budget.
  let queue: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn)
    queue = next.catch(() => {})
    return next
  }
  const loadState = async () => (await storage.get<PolicyState>(keys.state)) ?? initialPolicyState()
  const loadPending = async () => (await storage.get<Record<string, Pending>>(keys.pending)) ?? {}
  const audit = async (entry: Omit<AuditEntry, 'id' | 'at'>) => {
    const log = (await storage.get<AuditEntry[]>(keys.audit)) ?? []
    const full: AuditEntry = { id: `${log.length + 1}`, at: new Date(now()).toISOString(), ...entry }
    log.push(full)
    await storage.set(keys.audit, log)
    return full
  }
  const describe = (action: Action) => ({
    by: action.requestedBy,
    account: action.account,
    calls: action.calls.map((c) => ({ to: c.to, value: String(c.value ?? 0n), selector: selectorOf(c.data) })),
    ...(action.note ? { note: action.note } : {}),
  })

  /** Evaluates, logs, and for `allow` reserves the spend. Needs-approval actions become pending approvals. */
  const check = (action: Action, approvalId?: string) =>
    exclusive(async () => {
      const state = await loadState()
      let verdict = evaluatePolicy(policy, state, action, now())
      let usedApproval: string | undefined
      if (verdict.decision === 'needs-approval' && approvalId) {
        const pending = await loadPending()
        const p = pending[approvalId]
        if (p?.status === 'approved' && p.action === actionKey(action)) {
          pending[approvalId] = { ...p, status: 'used' }
          await storage.set(keys.pending, pending)
          verdict = { decision: 'allow', reasons: verdict.reasons }
          usedApproval = approvalId
        }
      }
      let newApproval: string | undefined
      if (verdict.decision === 'needs-approval') {
        const pending = await loadPending()
        newApproval = `approval-${Object.keys(pending).length + 1}-${now()}`
        pending[newApproval] = { action: actionKey(action), status: 'pending' }
        await storage.set(keys.pending, pending)
      }
      if (verdict.decision === 'allow') await storage.set(keys.state, recordAction(policy, state, action, now()))
      await audit({
        event: 'check',
        ...describe(action),
        decision: verdict.decision,
        reasons: verdict.reasons,
        ...((usedApproval ?? newApproval) ? { approvalId: usedApproval ?? newApproval } : {}),
      })
      return { ...verdict, approvalId: newApproval }
    })

  return {
    policy,
    check,
    /** A human's answer to a needs-approval verdict. Approval covers exactly that action, once. */
    resolveApproval: (approvalId: string, { approved, by }: { approved: boolean; by: string }) =>
      exclusive(async () => {
        const pending = await loadPending()
        const p = pending[approvalId]
        if (p?.status !== 'pending') throw new SeedAaError(`No pending approval ${approvalId}.`)
        pending[approvalId] = { ...p, status: approved ? 'approved' : 'rejected' }
        await storage.set(keys.pending, pending)
        await audit({ event: 'approval', by, approvalId, decision: approved ? 'allow' : 'deny', reasons: [] })
      }),
    /** Gate + execute: throws PolicyDeniedError / ApprovalRequiredError before `execute` is ever called. */
    async run<T>(action: Action, execute: () => Promise<T>, options: { approvalId?: string } = {}): Promise<T> {
      const verdict = await check(action, options.approvalId)
      if (verdict.decision === 'deny') throw new PolicyDeniedError(verdict)
      if (verdict.decision === 'needs-approval') throw new ApprovalRequiredError(verdict, verdict.approvalId!)
      try {
        const result = await execute()
        await exclusive(() => audit({ event: 'executed', ...describe(action) }))
        return result
      } catch (error) {
        const note = error instanceof SeedAaError ? error.shortMessage : (error as Error)?.name
        await exclusive(() => audit({ event: 'failed', ...describe(action), note: String(note) }))
        throw error
      }
    },
    freeze: (reason: string, by: string) =>
      exclusive(async () => {
        await storage.set(keys.state, { ...(await loadState()), frozen: true, frozenReason: reason })
        await audit({ event: 'freeze', by, note: reason })
      }),
    unfreeze: (by: string) =>
      exclusive(async () => {
        const { frozenReason: _, ...state } = await loadState()
        await storage.set(keys.state, { ...state, frozen: false })
        await audit({ event: 'unfreeze', by })
      }),
    state: loadState,
    auditLog: async () => (await storage.get<AuditEntry[]>(keys.audit)) ?? [],
  }
}
