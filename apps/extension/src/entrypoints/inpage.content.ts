/** Main-world script: the page's EIP-1193 provider, found through EIP-6963 (and window.seed). */
import { defineContentScript } from 'wxt/utils/define-content-script'
import { announceProvider } from '../provider/eip6963.ts'
import { SeedProvider } from '../provider/seed-provider.ts'

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_start',
  world: 'MAIN',
  main() {
    const provider = new SeedProvider()
    Object.defineProperty(window, 'seed', { value: provider, configurable: false, writable: false })
    announceProvider(provider)
  },
})
