/** EIP-1193 events from the background to the content scripts of the tabs showing an origin. */
import { sendToTab } from '../../core/messenger.ts'
import { chainOf } from './chains.ts'

export async function emitToOrigin(origin: string | '*', event: string, data: unknown) {
  const tabs = await chrome.tabs.query({})
  await Promise.all(
    tabs.map((tab) => {
      if (tab.id === undefined) return undefined
      // Without the URL (no host permission) the content script filters by its own origin.
      if (origin !== '*' && tab.url && new URL(tab.url).origin !== origin) return undefined
      return sendToTab(tab.id, 'event', { origin, event, data })
    }),
  )
}

/** An event for every tab whose origin is on `chainId` (its selected chain). */
export async function emitToChain(chainId: number, event: string, data: unknown) {
  const tabs = await chrome.tabs.query({})
  const origins = new Set(tabs.flatMap((tab) => (tab.url?.startsWith('http') ? [new URL(tab.url).origin] : [])))
  for (const origin of origins) if ((await chainOf(origin)).id === chainId) await emitToOrigin(origin, event, data)
}
