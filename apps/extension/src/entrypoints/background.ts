/**
 * The service worker: routes provider requests, owns approvals, locks on idle. Listeners are
 * registered synchronously at start so a worker woken by a message or alarm sees it; all state
 * is in chrome.storage because Chrome stops this worker after ~30 s idle.
 */
import { defineBackground } from 'wxt/utils/define-background'
import { accountService } from '../background/account.ts'
import { pruneRequests, rejectByWindow } from '../background/approvals.ts'
import { emitToOrigin } from '../background/events.ts'
import { connectedOrigins } from '../background/permissions.ts'
import { keepRollupRunning } from '../background/rollup.ts'
import { handleRpc } from '../background/rpc.ts'
import { guardUiHandlers, uiHandlers } from '../background/ui-api.ts'
import { serveRuntime } from '../core/messenger.ts'
import type { BackgroundProtocol } from '../core/protocol.ts'
import { read } from '../core/storage.ts'

const AUTOLOCK_ALARM = 'autolock'
const DEFAULT_AUTOLOCK_MINUTES = 15

export default defineBackground(() => {
  // Counts service-worker starts (diagnostics; the e2e test checks a killed worker came back).
  chrome.storage.session
    .get('swBoots')
    .then(({ swBoots }) => chrome.storage.session.set({ swBoots: ((swBoots as number | undefined) ?? 0) + 1 }))

  serveRuntime<BackgroundProtocol>('background', {
    ...guardUiHandlers(uiHandlers),
    async rpc({ id, method, params }, sender) {
      const origin = sender.origin ?? (sender.url ? new URL(sender.url).origin : undefined)
      if (!origin || !sender.tab) throw new Error('rpc is for web pages (through the content script)')
      return handleRpc(origin, id, method, params)
    },
  })

  chrome.windows.onRemoved.addListener((windowId) => void rejectByWindow(windowId))

  chrome.alarms.create(AUTOLOCK_ALARM, { periodInMinutes: 1 })
  chrome.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== AUTOLOCK_ALARM) return
    await pruneRequests()
    const session = await read('session', 'unlocked')
    const minutes = (await read('local', 'settings'))?.autoLockMinutes ?? DEFAULT_AUTOLOCK_MINUTES
    if (session && Date.now() - session.lastActiveAt > minutes * 60_000) {
      await accountService.lock()
      for (const { origin } of await connectedOrigins()) await emitToOrigin(origin, 'accountsChanged', [])
    }
  })

  // The rollup node keeps sequencing and batching while the browser runs: (re)start its offscreen document.
  keepRollupRunning()
})
