/**
 * Requests that need the user. Each one is a session-storage record keyed by the page's
 * request id, so a killed service worker loses nothing: the content script re-sends the same id,
 * the new worker finds the record and waits on it; the approval window decides through storage.
 */
import { deserializeError, type SerializedError, serializeError, userRejected } from '../../core/errors.ts'
import type { Execution, PendingRequest } from '../../core/protocol.ts'
import { stored } from '../../core/storage.ts'
import { actions, reservationOf } from '../actions/policy.ts'

/** Runs an approved request; `journal` persists its progress (see execute.ts). */
export type Executor = (request: PendingRequest, journal: (execution: Execution) => Promise<void>) => Promise<unknown>

/**
 * What a kind of request (by method) does when it is rejected, besides giving its reservation back: a request
 * the wallet itself raised (a bounty epoch's payment) records the refusal where its own flow reads it.
 */
const onRejected = new Map<string, (request: PendingRequest) => Promise<void>>()
export function whenRejected(method: string, handler: (request: PendingRequest) => Promise<void>) {
  onRejected.set(method, handler)
}

async function endRejected(request: PendingRequest) {
  await actions.release(reservationOf(request.id))
  await onRejected.get(request.method)?.(request)
}

/** Ids this service-worker instance is executing right now (memory dies with the instance). */
const executing = new Set<string>()
/** Ids whose approval window this instance is opening right now. */
const asking = new Set<string>()

export function getRequest(id: string): Promise<PendingRequest | undefined> {
  return stored.requests.item(id).get()
}

async function putRequest(request: PendingRequest) {
  await stored.requests.item(request.id).set(request)
}

export function pendingRequests(): Promise<PendingRequest[]> {
  return stored.requests.all()
}

function outcome(request: PendingRequest): unknown {
  if (request.status === 'done') return request.result
  throw deserializeError(request.error as SerializedError)
}

const settled = (r: PendingRequest) => r.status === 'done' || r.status === 'rejected' || r.status === 'failed'

/** Resolves once the record is settled (by this or any later service-worker instance). */
function waitForOutcome(id: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const check = (request: PendingRequest | undefined) => {
      if (!request || !settled(request)) return false
      unwatch()
      try {
        resolve(outcome(request))
      } catch (error) {
        reject(error)
      }
      return true
    }
    const unwatch = stored.requests.watch(id, check)
    getRequest(id).then(check)
  })
}

/** Asks the user (once per request id) and returns what the approved request produced. */
export async function requestApproval(
  request: Omit<PendingRequest, 'status' | 'createdAt'>,
  execute: Executor,
): Promise<unknown> {
  // Claimed before the first await: the same id sent again meanwhile waits on this window, not a second one.
  if (asking.has(request.id)) return waitForOutcome(request.id)
  asking.add(request.id)
  try {
    const existing = await resumeInterrupted(await getRequest(request.id), execute)
    if (!existing) {
      const record: PendingRequest = { ...request, status: 'pending', createdAt: Date.now() }
      await putRequest(record)
      const window = await chrome.windows.create({
        url: chrome.runtime.getURL(`/popup.html#/approve/${encodeURIComponent(request.id)}`),
        type: 'popup',
        width: 400,
        height: 640,
      })
      await putRequest({ ...record, windowId: window?.id })
    }
  } finally {
    asking.delete(request.id)
  }
  return waitForOutcome(request.id)
}

/**
 * Runs a request the user approved in advance (a use of an ERC-7715 grant, decision 0208): no
 * window, but the same record, journal and resume after a restart as an approved request.
 */
export async function runPreApproved(
  request: Omit<PendingRequest, 'status' | 'createdAt'>,
  execute: Executor,
): Promise<unknown> {
  // Claimed before the first await: a request re-sent meanwhile (the page's retry) waits on this run.
  if (executing.has(request.id)) return waitForOutcome(request.id)
  executing.add(request.id)
  const existing = await getRequest(request.id)
  executing.delete(request.id)
  if (existing) await resumeInterrupted(existing, execute)
  else {
    const record: PendingRequest = { ...request, status: 'approved', createdAt: Date.now() }
    executing.add(record.id)
    await putRequest(record)
    void run(record, execute)
  }
  return waitForOutcome(request.id)
}

/**
 * Runs a request its caller's own grant approved just now (a paired agent within its grant): the record
 * is written approved at once, so a restarted worker resumes it, and the run's outcome comes back
 * straight from the run, not through storage's change event.
 */
export async function runApproved(
  request: Omit<PendingRequest, 'status' | 'createdAt'>,
  execute: Executor,
): Promise<PendingRequest> {
  const record: PendingRequest = { ...request, status: 'approved', createdAt: Date.now() }
  executing.add(record.id) // claimed before the first await, as in `run`
  await putRequest(record)
  return run(record, execute)
}

/** Applies the user's decision; `execute` runs the approved request (sign, send, grant). */
export async function decide(id: string, approved: boolean, execute: Executor): Promise<PendingRequest> {
  const request = await resumeInterrupted(await getRequest(id), execute)
  if (!request) throw new Error(`No pending request ${id}`)
  if (request.status === 'approved') {
    // Being executed by this instance (e.g. the window re-sent its decision after a restart).
    await waitForOutcome(id).catch(() => {})
    return (await getRequest(id)) ?? request
  }
  if (request.status !== 'pending') return request
  if (!approved) {
    const rejected = { ...request, status: 'rejected' as const, error: serializeError(userRejected()) }
    await putRequest(rejected)
    await endRejected(rejected)
    return rejected
  }
  const record: PendingRequest = { ...request, status: 'approved' }
  await putRequest(record)
  return run(record, execute)
}

/** Executes an approved record, journaling its progress; exactly one run per id per worker instance. */
async function run(request: PendingRequest, execute: Executor): Promise<PendingRequest> {
  executing.add(request.id)
  let current = request
  const journal = async (execution: Execution) => {
    current = { ...current, execution }
    await putRequest(current)
  }
  let settledRequest: PendingRequest
  try {
    // The result first: `current` gains the journal while it runs (a spread before it would drop it).
    const result = await execute(current, journal)
    settledRequest = { ...current, status: 'done', result }
  } catch (error) {
    settledRequest = { ...current, status: 'failed', error: serializeError(error) }
  } finally {
    executing.delete(request.id)
  }
  await putRequest(settledRequest)
  if (settledRequest.status === 'failed') await endReservation(settledRequest)
  return settledRequest
}

/**
 * A failed request gives its reservation back, unless what it sent may still land or has cost fees
 * (a submitted user op, a sent L2 tx): that spend is kept (settled) rather than forgotten.
 */
async function endReservation(request: PendingRequest) {
  const sent = request.execution?.kind === 'l2' || (request.execution?.kind === 'userOp' && request.execution.submitted)
  if (sent) await actions.settle(reservationOf(request.id))
  else await actions.release(reservationOf(request.id))
}

/**
 * An approved request that no live instance is executing was cut off by a worker restart
 * (decision 0413). It is finished, not failed: a journaled user op or L2 tx is re-sent as the same
 * signed op/tx (its nonce lets it land once) and its receipt awaited; a request that had not left
 * the wallet yet (signatures, grants, a send not yet signed) simply runs.
 */
async function resumeInterrupted(request: PendingRequest | undefined, execute: Executor) {
  if (request?.status !== 'approved' || executing.has(request.id)) return request
  void run(request, execute) // claims the id synchronously (executing.add) before any await
  return request
}

/**
 * At worker start: finish every approved request a previous instance left mid-way, and release the
 * reservations of requests that no longer exist (session storage does not outlive the browser).
 */
export async function resumeApprovedRequests(execute: Executor) {
  const requests = await pendingRequests()
  for (const request of requests) await resumeInterrupted(request, execute)
  const live = new Set(requests.filter((r) => !settled(r)).map((r) => reservationOf(r.id)))
  for (const id of await actions.reservations()) {
    if (id.startsWith(reservationOf('')) && !live.has(id)) await actions.release(id)
  }
}

/** Closing the approval window is a rejection. */
export async function rejectByWindow(windowId: number) {
  for (const request of await pendingRequests()) {
    if (request.windowId === windowId && request.status === 'pending') {
      const rejected = { ...request, status: 'rejected' as const, error: serializeError(userRejected()) }
      await putRequest(rejected)
      await endRejected(rejected)
    }
  }
}

/** Every request still waiting for the user is refused with `error` (the wallet switched networks under it). */
export async function rejectPendingRequests(error: Error) {
  for (const request of await pendingRequests()) {
    if (request.status !== 'pending') continue
    const rejected = { ...request, status: 'rejected' as const, error: serializeError(error) }
    await putRequest(rejected)
    await endRejected(rejected)
  }
}

/** Settled records are kept a while for re-sent requests, then dropped. */
export async function pruneRequests(maxAgeMs = 10 * 60_000) {
  const old = (await pendingRequests()).filter((r) => settled(r) && Date.now() - r.createdAt > maxAgeMs)
  if (old.length) await stored.requests.removeMany(old.map((r) => r.id))
}
