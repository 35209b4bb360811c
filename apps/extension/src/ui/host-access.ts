/**
 * The extension is granted only 127.0.0.1 and localhost; a network elsewhere (a public RPC, a
 * hosted bundler or beacon API) needs its hosts granted by the person, which Chrome allows only
 * inside a click: call this first thing in the click handler, before any await.
 */
import type { NetworkSettings } from '../core/records.ts'

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost'])

function hostPatterns(network: NetworkSettings): string[] {
  const urls = [
    network.l1.rpcUrl,
    network.bundlerUrl,
    network.beaconUrl,
    network.ipfsUrl,
    network.facilitatorUrl,
    network.manifestUrl,
  ]
  const patterns = urls.flatMap((value) => {
    if (!URL.canParse(value ?? '')) return []
    const url = new URL(value!)
    return LOCAL_HOSTS.has(url.hostname) ? [] : [`${url.protocol}//${url.hostname}/*`]
  })
  return [...new Set(patterns)]
}

export async function requestHostAccess(network: NetworkSettings) {
  const origins = hostPatterns(network)
  if (!origins.length) return
  if (!(await chrome.permissions.request({ origins }))) {
    throw new Error(`The wallet needs access to ${origins.join(', ')} to use this network.`)
  }
}
