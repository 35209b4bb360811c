/**
 * The one path every wallet action takes (dApp sends and signatures, the wallet's own housekeeping,
 * agents): decode → policy verdict with the spend RESERVED under a lock → approval when needed →
 * journal → execute (sign, submit) → settle or release. Storage-agnostic: a KeyValueStorage for the
 * rolling ledger and the journals, a Lock for the read-evaluate-write of a reservation. Reservations
 * live in the ledger itself, so a restarted process still counts them; a failed or rejected action
 * releases exactly its own entry; a settled one stays in the rolling log.
 */
import { evaluatePolicy, ledgerEntry, withEntry } from '../policy/evaluatePolicy.ts'
import { type Action, initialPolicyState, type Policy, type PolicyState, type Verdict } from '../policy/types.ts'
import type { KeyValueStorage } from '../storage.ts'
import { ActionRejectedError, ApprovalRequiredError, PolicyDeniedError } from './errors.ts'
import { createMemoryLock, type Lock } from './lock.ts'

export type ActionPipelineParameters = {
  storage: KeyValueStorage
  /** Defaults to an in-process lock: give a cross-context one (Web Locks) where several contexts share storage. */
  lock?: Lock
  /** The policy, or how to read the current one (settings can change between two actions). */
  policy: Policy | (() => Policy | Promise<Policy>)
  /** Storage key of the ledger and kill switch. */
  stateKey?: string
  now?: () => number
}

/** What a journaled action had done when its process stopped: passed to `execute` again on resume. */
export type Journaled<Step> = { approved: true; step?: Step }

export type RunParameters<T, Step> = {
  /** Stable across retries and restarts: the reservation and the journal are keyed by it. */
  id: string
  action: Action
  /** Asked for a needs-approval verdict; without it such an action throws ApprovalRequiredError. */
  approve?: (verdict: Verdict) => Promise<boolean>
  /** Does the work; `journal` persists a step before it leaves the process, `step` is the last one persisted. */
  execute: (context: { step?: Step; journal: (step: Step) => Promise<void> }) => Promise<T>
  /** What the action really cost, when it differs from its reservation (actual fee instead of the maximum). */
  actual?: (result: T) => Action | undefined
}

export type ActionPipeline = ReturnType<typeof createActionPipeline>

export function createActionPipeline({
  storage,
  lock = createMemoryLock(),
  policy,
  stateKey = 'seed.policy.state',
  now = () => Date.now(),
}: ActionPipelineParameters) {
  const journalKey = (id: string) => `${stateKey}.journal.${id}`
  const currentPolicy = async () => (typeof policy === 'function' ? policy() : policy)
  // The ledger is re-read only when its version changed: every save writes a fresh version first, so
  // a cache is never taken for a state another pipeline (another context, a restarted process) wrote.
  const versionKey = `${stateKey}.version`
  let cached: { version: string; state: PolicyState } | undefined
  let saves = 0
  const load = async () => {
    const version = await storage.get<string>(versionKey)
    if (cached && version !== undefined && cached.version === version) return cached.state
    const state = (await storage.get<PolicyState>(stateKey)) ?? initialPolicyState()
    cached = version === undefined ? undefined : { version, state }
    return state
  }
  const save = async (state: PolicyState) => {
    const version = `${now()}-${++saves}-${Math.random().toString(36).slice(2)}`
    await storage.set(versionKey, version)
    await storage.set(stateKey, state)
    cached = { version, state }
  }
  const without = (state: PolicyState, id: string) => ({ ...state, ledger: state.ledger.filter((e) => e.id !== id) })

  /**
   * Evaluates `action` against the ledger and, unless denied, logs its spend as reserved under `id`,
   * all under the lock. Re-reserving an id re-evaluates it without its own old entry (an action's fee
   * becomes known after its approval): it either fits as it is now or is refused, keeping the old one.
   */
  const reserve = (id: string, action: Action) =>
    lock(async () => {
      const [p, state] = await Promise.all([currentPolicy(), load()])
      const at = now()
      const others = without(state, id)
      const verdict = evaluatePolicy(p, others, action, at)
      if (verdict.decision !== 'deny') {
        await save(withEntry(p, others, ledgerEntry(p, id, action, 'reserved', at), at))
      }
      return verdict
    })

  /** The action ran: its entry stays in the rolling log, with what it really cost when given. */
  const settle = (id: string, actual?: Action) =>
    lock(async () => {
      const [p, state] = await Promise.all([currentPolicy(), load()])
      const ledger = state.ledger.map((e) =>
        e.id === id ? (actual ? ledgerEntry(p, id, actual, 'settled', e.at) : { ...e, status: 'settled' as const }) : e,
      )
      await save({ ...state, ledger })
    })

  /** The action failed or was rejected: exactly its reservation goes (a settled entry is never released). */
  const release = (id: string) =>
    lock(async () => {
      const state = await load()
      const entry = state.ledger.find((e) => e.id === id)
      if (entry?.status === 'reserved') await save(without(state, id))
    })

  return {
    /** A copy of the ledger and kill switch (the pipeline's own copy is never handed out). */
    state: async (): Promise<PolicyState> => structuredClone(await load()),
    /**
     * The verdict without reserving anything (previews, status screens); `reservation` leaves out the
     * action's own entry, as a re-reservation would.
     */
    async verdict(action: Action, { reservation }: { reservation?: string } = {}): Promise<Verdict> {
      const state = await load()
      return evaluatePolicy(await currentPolicy(), reservation ? without(state, reservation) : state, action, now())
    },
    reserve,
    settle,
    release,
    /** Ids of reservations still open (an action in flight, or one a dead process left behind). */
    async reservations(): Promise<string[]> {
      return (await load()).ledger.filter((e) => e.status === 'reserved').map((e) => e.id)
    },
    /** Spend per asset in the last `periodSeconds` (reservations included), and the fees, under 'fee'. */
    async spent(periodSeconds: number) {
      const since = now() - periodSeconds * 1000
      const totals = new Map<string, bigint>()
      const add = (key: string, amount: string) => totals.set(key, (totals.get(key) ?? 0n) + BigInt(amount))
      for (const e of (await load()).ledger) {
        if (e.at <= since) continue
        for (const [asset, amount] of Object.entries(e.amounts)) add(asset, amount)
        if (e.fee) add('fee', e.fee)
      }
      return totals
    },
    setFrozen: (frozen: boolean, reason?: string) =>
      lock(async () => {
        const { frozenReason: _, ...state } = await load()
        await save({ ...state, frozen, ...(frozen && reason ? { frozenReason: reason } : {}) })
      }),

    /**
     * The whole path for one action. Re-running the same id after a crash resumes it: the reservation
     * and the approval stand, `execute` gets the last journaled step (a signed op is re-sent, not re-signed).
     */
    async run<T, Step = unknown>({ id, action, approve, execute, actual }: RunParameters<T, Step>): Promise<T> {
      let journaled = await storage.get<Journaled<Step>>(journalKey(id))
      if (!journaled) {
        const verdict = await reserve(id, action)
        if (verdict.decision === 'deny') throw new PolicyDeniedError(verdict)
        if (verdict.decision === 'needs-approval' && !(approve && (await approve(verdict)))) {
          await release(id)
          throw approve ? new ActionRejectedError() : new ApprovalRequiredError(verdict, id)
        }
        journaled = { approved: true }
        await storage.set(journalKey(id), journaled)
      }
      const journal = async (step: Step) => {
        journaled = { approved: true, step }
        await storage.set(journalKey(id), journaled)
      }
      let result: T
      try {
        result = await execute({ step: journaled.step, journal })
      } catch (error) {
        await release(id)
        await storage.delete(journalKey(id))
        throw error
      }
      await settle(id, actual?.(result))
      await storage.delete(journalKey(id))
      return result
    },
  }
}
