/** The UI's typed client for the background (re-sent if the service worker was restarting). */
import { runtimeClient } from '../core/messenger.ts'
import type { BackgroundProtocol } from '../core/protocol.ts'

export const background = runtimeClient<BackgroundProtocol>('background', { retries: 10, retryDelayMs: 100 })
