/**
 * Auto-lock after idle (decision 0411). "Idle" = no use of the key (sign, send) and no unlock for
 * `autoLockMinutes`. Two mechanisms, because neither alone is exact: a one-shot chrome.alarms
 * alarm at the deadline (locks and tells connected sites `accountsChanged []` even if nobody asks)
 * and a check on every read of the session (covers alarms Chrome delays, and a worker that was
 * asleep at the deadline).
 */
import { stored } from '../../core/storage.ts'
import { emitToOrigin } from '../provider/events.ts'
import { connectedOrigins } from '../provider/permissions.ts'

export const AUTOLOCK_AT_ALARM = 'autolock-at'
export const DEFAULT_AUTOLOCK_MINUTES = 15
/** 6 s: short enough for a test, long enough to click through an approval. */
export const MIN_AUTOLOCK_MINUTES = 0.1
export const MAX_AUTOLOCK_MINUTES = 24 * 60

export async function autoLockMinutes() {
  return (await stored.settings.get())?.autoLockMinutes ?? DEFAULT_AUTOLOCK_MINUTES
}

export async function setAutoLockMinutes(minutes: number) {
  if (!Number.isFinite(minutes) || minutes < MIN_AUTOLOCK_MINUTES || minutes > MAX_AUTOLOCK_MINUTES) {
    throw new Error(`Auto-lock must be between ${MIN_AUTOLOCK_MINUTES} and ${MAX_AUTOLOCK_MINUTES} minutes.`)
  }
  await stored.settings.set({ ...(await stored.settings.get()), autoLockMinutes: minutes })
  const session = await stored.unlocked.get()
  if (session) await scheduleAutoLock(session.lastActiveAt)
}

export async function idleExpired(lastActiveAt: number, now = Date.now()) {
  return now - lastActiveAt >= (await autoLockMinutes()) * 60_000
}

export async function scheduleAutoLock(lastActiveAt: number) {
  await chrome.alarms.create(AUTOLOCK_AT_ALARM, { when: lastActiveAt + (await autoLockMinutes()) * 60_000 })
}

export async function lockNow() {
  const wasUnlocked = (await stored.unlocked.get()) !== undefined
  await stored.unlocked.remove()
  await chrome.alarms.clear(AUTOLOCK_AT_ALARM)
  if (!wasUnlocked) return
  for (const { origin } of await connectedOrigins()) await emitToOrigin(origin, 'accountsChanged', [])
}

/** Alarm handler: locks if the session has been idle long enough (else re-arms for the new deadline). */
export async function lockIfIdle() {
  const session = await stored.unlocked.get()
  if (!session) return
  if (await idleExpired(session.lastActiveAt)) await lockNow()
  else await scheduleAutoLock(session.lastActiveAt)
}
