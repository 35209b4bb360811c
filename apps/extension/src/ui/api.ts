/** The UI's typed client for the background (its retries, for a restarting service worker, are the ui:* routes'). */
import { send } from '../core/messenger.ts'

export const background = send
