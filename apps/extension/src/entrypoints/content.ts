/**
 * Isolated-world bridge: page requests (window.postMessage) → background (runtime message), and
 * background events → page. A request interrupted by a service-worker restart is re-sent with the
 * same id; the background answers it from its persisted record.
 */
import { defineContentScript } from 'wxt/utils/define-content-script'
import { ErrorCode, serializeError } from '../core/errors.ts'
import { emitToPage, send, serve, serveWindowRequests } from '../core/messenger.ts'

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_start',
  allFrames: false,
  main() {
    serveWindowRequests(
      ({ id, method, params }) => send('rpc', { id, method, params }),
      (error) => {
        if ((error as { code?: number }).code === ErrorCode.disconnected)
          emitToPage('disconnect', serializeError(error))
      },
    )

    serve('content', {
      event({ origin, event, data }) {
        if (origin === '*' || origin === window.location.origin) emitToPage(event, data)
        return null
      },
    })
  },
})
