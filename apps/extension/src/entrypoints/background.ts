/**
 * The service worker: routes provider requests, owns approvals, locks on idle. Listeners are
 * registered synchronously at start so a worker woken by a message or alarm sees it; all state
 * is in chrome.storage because Chrome stops this worker after ~30 s idle.
 */
import { defineBackground } from 'wxt/utils/define-background'
import { AUTOLOCK_AT_ALARM, lockIfIdle } from '../background/account/autolock.ts'
import { executeRequest } from '../background/actions/requests.ts'
import { reconnectPairings } from '../background/agent/bridge-connection.ts'
import { pairingHandlers } from '../background/agent/ui-handlers.ts'
import { pruneRequests, rejectByWindow, resumeApprovedRequests } from '../background/approvals/approvals.ts'
import { payBounties } from '../background/bounties/pay-epochs.ts'
import { watchDownChains } from '../background/provider/connectivity.ts'
import { resendUnsealedL2Sends } from '../background/provider/l2-resend.ts'
import { handleRpc } from '../background/provider/rpc.ts'
import { resumeBatcherTopUp } from '../background/rollup/batcher-topup.ts'
import { challengeOwnOutputs } from '../background/rollup/output-challenges.ts'
import { probeReplicas, pushGossipPeers } from '../background/rollup/replicas.ts'
import { keepRollupRunning, onOffscreenCreated } from '../background/rollup/rollup.ts'
import { topUpBatcherIfLow } from '../background/rollup/rollup-batching.ts'
import { consoleHandlers } from '../background/scripts/ui.ts'
import { armScheduledTriggers, isTriggerAlarm, runScheduledTrigger } from '../background/triggers/schedule.ts'
import { uiHandlers } from '../background/ui-api.ts'
import { senderOrigin, serve } from '../core/messenger.ts'
import { stored } from '../core/storage.ts'

/** Housekeeping every minute: prune settled requests, re-check idle, re-probe down chains. */
const HOUSEKEEPING_ALARM = 'autolock'

export default defineBackground(() => {
  // Counts service-worker starts (diagnostics; the e2e test checks a killed worker came back).
  stored.swBoots.get().then((boots) => stored.swBoots.set(boots + 1))

  // The messenger checks each sender first (ROUTES): ui:* from extension pages, rpc from a tab's content script.
  serve('background', {
    ...uiHandlers,
    ...consoleHandlers,
    ...pairingHandlers,
    async rpc({ id, method, params }, sender) {
      return handleRpc(senderOrigin(sender)!, id, method, params)
    },
  })

  chrome.windows.onRemoved.addListener((windowId) => void rejectByWindow(windowId))

  chrome.alarms.create(HOUSEKEEPING_ALARM, { periodInMinutes: 1 })
  chrome.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name === AUTOLOCK_AT_ALARM) return lockIfIdle()
    if (isTriggerAlarm(alarm.name)) return runScheduledTrigger(alarm.name)
    if (alarm.name !== HOUSEKEEPING_ALARM) return
    await pruneRequests()
    await lockIfIdle()
    await watchDownChains()
    await reconnectPairings() // a paired agent's bridge, after a worker restart or a bridge restart
  })

  // A previous instance may have died executing an approved request: finish it (decision 0413).
  void resumeApprovedRequests(executeRequest)
  void resumeBatcherTopUp() // the same for a batcher top-up (decision 0416)
  void watchDownChains()
  void armScheduledTriggers() // the console's scheduled triggers (a browser restart may have dropped their alarms)
  void reconnectPairings()

  // The rollup node keeps sequencing and batching while the browser runs: (re)start its offscreen
  // document, and keep its batcher's blob gas topped up (decision 0416). A re-created document first
  // gets back the answered L2 txs its predecessor had not sealed (decision 0420).
  // Each keep-alive tick: the batcher's blob gas, a challenge of any output of the agent's chain that its
  // Worker could not reproduce (decision 0702), a probe of its replicas, and the epochs its bounties' operators
  // served (decision 0802); one failing does not keep the others from running.
  keepRollupRunning(async () => {
    const outcomes = await Promise.allSettled([
      topUpBatcherIfLow(),
      challengeOwnOutputs(),
      probeReplicas(),
      payBounties(),
    ])
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason
  })
  onOffscreenCreated(resendUnsealedL2Sends)
  onOffscreenCreated(async () => void (await pushGossipPeers()))
})
