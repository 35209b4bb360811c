/**
 * The agent-facing side of the action pipeline: pending human approvals, the kill switch and the
 * audit log, persisted through the KeyValueStorage; the spend itself is reserved, settled and released
 * by the pipeline (../actions), the one policy engine. `run` is the gate an agent action goes through:
 * check → (deny | needs-approval | allow → reserve spend → execute → settle or release) with every
 * step in the audit log.
 */
import { createActionPipeline } from '../actions/createActionPipeline.ts'
import { ApprovalRequiredError, PolicyDeniedError } from '../actions/errors.ts'
import type { Lock } from '../actions/lock.ts'
import { SeedAaError } from '../errors.ts'
import type { KeyValueStorage } from '../storage.ts'
import { selectorOf } from './decodeSpend.ts'
import type { Action, Policy, Verdict } from './types.ts'

export { ApprovalRequiredError, PolicyDeniedError }

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
  lock,
}: {
  storage: KeyValueStorage
  policy: Policy
  name?: string
  now?: () => number
  lock?: Lock
}) {
  const keys = {
    state: `seed.policy.${name}.state`,
    audit: `seed.policy.${name}.audit`,
    pending: `seed.policy.${name}.pending`,
  }
  const pipeline = createActionPipeline({ storage, policy, stateKey: keys.state, now, ...(lock ? { lock } : {}) })
  // Approvals and the audit log, one mutation at a time (the ledger has the pipeline's own lock).
  let queue: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn)
    queue = next.catch(() => {})
    return next
  }
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
  let checks = 0

  /**
   * Evaluates and reserves through the pipeline. An allowed action keeps its reservation (`reservationId`);
   * a needs-approval one releases it and becomes a pending approval, unless `approvalId` approved exactly it.
   */
  const check = async (
    action: Action,
    approvalId?: string,
  ): Promise<Verdict & { approvalId?: string; reservationId?: string }> => {
    const reservationId = `${name}-${now()}-${++checks}-${crypto.randomUUID()}`
    let verdict = await pipeline.reserve(reservationId, action)
    return exclusive(async () => {
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
        await pipeline.release(reservationId)
        const pending = await loadPending()
        newApproval = `approval-${Object.keys(pending).length + 1}-${now()}`
        pending[newApproval] = { action: actionKey(action), status: 'pending' }
        await storage.set(keys.pending, pending)
      }
      await audit({
        event: 'check',
        ...describe(action),
        decision: verdict.decision,
        reasons: verdict.reasons,
        ...((usedApproval ?? newApproval) ? { approvalId: usedApproval ?? newApproval } : {}),
      })
      return {
        ...verdict,
        approvalId: newApproval,
        ...(verdict.decision === 'allow' ? { reservationId } : {}),
      }
    })
  }

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
      const reservationId = verdict.reservationId!
      try {
        const result = await execute()
        await pipeline.settle(reservationId)
        await exclusive(() => audit({ event: 'executed', ...describe(action) }))
        return result
      } catch (error) {
        await pipeline.release(reservationId)
        const note = error instanceof SeedAaError ? error.shortMessage : (error as Error)?.name
        await exclusive(() => audit({ event: 'failed', ...describe(action), note: String(note) }))
        throw error
      }
    },
    freeze: async (reason: string, by: string) => {
      await pipeline.setFrozen(true, reason)
      await exclusive(() => audit({ event: 'freeze', by, note: reason }))
    },
    unfreeze: async (by: string) => {
      await pipeline.setFrozen(false)
      await exclusive(() => audit({ event: 'unfreeze', by }))
    },
    state: pipeline.state,
    auditLog: async () => (await storage.get<AuditEntry[]>(keys.audit)) ?? [],
  }
}
