/**
 * Isolated-world bridge: page requests (window.postMessage) → background (runtime message), and
 * background events → page. A request interrupted by a service-worker restart is re-sent with the
 * same id; the background answers it from its persisted record.
 */
import { defineContentScript } from 'wxt/utils/define-content-script'
import { ErrorCode, serializeError } from '../core/errors.ts'
import { onWindowMessage, send, serve, windowPost } from '../core/messenger.ts'

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_start',
  allFrames: false,
  main() {
    onWindowMessage('content', async (message) => {
      try {
        const result = await send('rpc', { id: message.id, method: message.method, params: message.params })
        windowPost({ to: 'inpage', kind: 'response', id: message.id, result })
      } catch (error) {
        windowPost({ to: 'inpage', kind: 'response', id: message.id, error: serializeError(error) })
        if ((error as { code?: number }).code === ErrorCode.disconnected) {
          windowPost({ to: 'inpage', kind: 'event', event: 'disconnect', data: serializeError(error) })
        }
      }
    })

    serve('content', {
      event({ origin, event, data }) {
        if (origin === '*' || origin === window.location.origin)
          windowPost({ to: 'inpage', kind: 'event', event, data })
        return null
      },
    })
  },
})
