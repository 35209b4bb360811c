/**
 * Requests that need the user. Each one is a chrome.storage.session record keyed by the page's
 * request id, so a killed service worker loses nothing: the content script re-sends the same id,
 * the new worker finds the record and waits on it; the approval window decides through storage.
 */
import {
  deserializeError,
  ErrorCode,
  ProviderRpcError,
  type SerializedError,
  serializeError,
  userRejected,
} from '../core/errors.ts'
import type { PendingRequest } from '../core/protocol.ts'

const PREFIX = 'request:'
/** Ids this service-worker instance is executing right now (memory dies with the instance). */
const executing = new Set<string>()
const key = (id: string) => `${PREFIX}${id}`

export async function getRequest(id: string): Promise<PendingRequest | undefined> {
  return (await chrome.storage.session.get(key(id)))[key(id)] as PendingRequest | undefined
}

async function putRequest(request: PendingRequest) {
  await chrome.storage.session.set({ [key(request.id)]: request })
}

export async function pendingRequests(): Promise<PendingRequest[]> {
  const all = await chrome.storage.session.get(null)
  return Object.entries(all)
    .filter(([k]) => k.startsWith(PREFIX))
    .map(([, v]) => v as PendingRequest)
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
      chrome.storage.onChanged.removeListener(listener)
      try {
        resolve(outcome(request))
      } catch (error) {
        reject(error)
      }
      return true
    }
    const listener = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
      if (area === 'session' && changes[key(id)]) check(changes[key(id)]?.newValue as PendingRequest)
    }
    chrome.storage.onChanged.addListener(listener)
    getRequest(id).then(check)
  })
}

/** Asks the user (once per request id) and returns what the approved request produced. */
export async function requestApproval(request: Omit<PendingRequest, 'status' | 'createdAt'>): Promise<unknown> {
  const existing = await settleInterrupted(await getRequest(request.id))
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
  return waitForOutcome(request.id)
}

/** Applies the user's decision; `execute` runs the approved request (sign, send, grant). */
export async function decide(
  id: string,
  approved: boolean,
  execute: (request: PendingRequest) => Promise<unknown>,
): Promise<PendingRequest> {
  const request = await settleInterrupted(await getRequest(id))
  if (!request) throw new Error(`No pending request ${id}`)
  if (request.status !== 'pending') return request
  if (!approved) {
    const rejected = { ...request, status: 'rejected' as const, error: serializeError(userRejected()) }
    await putRequest(rejected)
    return rejected
  }
  await putRequest({ ...request, status: 'approved' })
  let settledRequest: PendingRequest
  executing.add(id)
  try {
    settledRequest = { ...request, status: 'done', result: await execute(request) }
  } catch (error) {
    settledRequest = { ...request, status: 'failed', error: serializeError(error) }
  } finally {
    executing.delete(id)
  }
  await putRequest(settledRequest)
  return settledRequest
}

/**
 * An approved request whose execution no live instance owns was cut off by a worker restart. It is
 * failed rather than re-run: the first run may already have submitted a user op or transaction.
 */
async function settleInterrupted(request: PendingRequest | undefined) {
  if (request?.status !== 'approved' || executing.has(request.id)) return request
  const failed: PendingRequest = {
    ...request,
    status: 'failed',
    error: serializeError(
      new ProviderRpcError(
        ErrorCode.internal,
        'The wallet restarted while executing this request: check its activity list before retrying.',
      ),
    ),
  }
  await putRequest(failed)
  return failed
}

/** Closing the approval window is a rejection. */
export async function rejectByWindow(windowId: number) {
  for (const request of await pendingRequests()) {
    if (request.windowId === windowId && request.status === 'pending') {
      await putRequest({ ...request, status: 'rejected', error: serializeError(userRejected()) })
    }
  }
}

/** Settled records are kept a while for re-sent requests, then dropped. */
export async function pruneRequests(maxAgeMs = 10 * 60_000) {
  const old = (await pendingRequests()).filter((r) => settled(r) && Date.now() - r.createdAt > maxAgeMs)
  if (old.length) await chrome.storage.session.remove(old.map((r) => key(r.id)))
}
