/**
 * Web app figures against a devnet of its own, in headless Debian Chromium:
 * - `web.bundle_kb`: gzip size of every script and stylesheet the browser loads for the overview;
 * - `web.first_render_ms`: navigation start to both heads shown on the overview (p50 of 7 loads after a warm-up);
 * - `web.live_head_ms`: a rollup block's newHeads push (the node sends it at seal) arriving on the
 *   page's WebSocket to its number shown on the overview, without reload (p50 of 10 blocks).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { startStack } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import { launchChromium } from '@seed/testkit/chromium'
import { rollupClients } from '../e2e/traffic.ts'
import { startWebApp } from '../server.ts'

const LOADS = 7
const LIVE_BLOCKS = 10
const dist = join(import.meta.dirname, '..', 'dist')

const stack = await startStack({ manifestPath: false })
const web = await startWebApp(stack.manifest)
const browser = await launchChromium()
const bothHeadsShown = () =>
  document.querySelector('#l1-head a') !== null && document.querySelector('#l2-head a') !== null
try {
  const l2 = rollupClients(stack.manifest)
  // One block so the rollup has a head past genesis to show.
  await l2.public.waitForTransactionReceipt({
    hash: await l2.user.sendTransaction({ to: l2.user.account.address, value: 1n }),
  })

  // Bundle: what the overview's first load fetches from the app's own origin.
  const page = await browser.context.newPage()
  const assets = new Set<string>()
  page.on('response', (r) => {
    const url = new URL(r.url())
    if (url.origin === new URL(web.url).origin && /\.(js|css)$/.test(url.pathname)) assets.add(url.pathname)
  })
  await page.goto(web.url)
  await page.waitForFunction(bothHeadsShown, undefined, { timeout: 30_000 })
  const gzipBytes = [...assets].reduce(
    (sum, path) => sum + gzipSync(readFileSync(join(dist, path)), { level: 9 }).length,
    0,
  )
  emit({
    bench: 'web.bundle_kb',
    value: round(gzipBytes / 1024, 1),
    unit: 'kB',
    env: 'chromium',
    n: assets.size,
    notes: 'gzip -9 of the JS and CSS the overview loads',
  })

  // First render: a fresh page each time (the HTTP cache keeps the hashed assets, as for a returning visitor).
  const samples: number[] = []
  for (let i = 0; i <= LOADS; i++) {
    const p = await browser.context.newPage()
    await p.goto(web.url)
    const handle = await p.waitForFunction(
      () => {
        const shown = document.querySelector('#l1-head a') !== null && document.querySelector('#l2-head a') !== null
        return shown ? performance.now() : false
      },
      undefined,
      { timeout: 30_000, polling: 'raf' },
    )
    if (i > 0) samples.push(Number(await handle.jsonValue()))
    await p.close()
  }
  const first = stats(samples)
  emit({
    bench: 'web.first_render_ms',
    value: first.p50,
    unit: 'ms',
    env: 'chromium',
    ...first,
    notes: 'navigation start to the L1 and L2 heads shown on the overview',
  })
  log(`first render samples: ${samples.map((s) => Math.round(s)).join(', ')}`)

  // Live head: the node pushes newHeads when it seals a block; the page records when that push
  // arrives on its WebSocket and when the number is shown (both on the page's clock).
  const livePage = await browser.context.newPage()
  await livePage.addInitScript(
    (rollupWs: string) => {
      const pushedAt: Record<string, number> = {}
      const shownAt: Record<string, number> = {}
      Object.assign(window, { pushedAt, shownAt })
      const Native = window.WebSocket
      window.WebSocket = class extends Native {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args)
          // The L1 socket pushes heads too: only the rollup's count.
          if (!String(args[0]).startsWith(rollupWs)) return
          this.addEventListener('message', (event) => {
            const number = /"eth_subscription".*"number":"(0x[0-9a-f]+)"/.exec(String(event.data))?.[1]
            if (number && !(Number(number) in pushedAt)) pushedAt[Number(number)] = Date.now()
          })
        }
      }
      new MutationObserver(() => {
        const text = document.querySelector('#l2-head a')?.textContent ?? ''
        if (/^#\d+$/.test(text) && !(text.slice(1) in shownAt)) shownAt[text.slice(1)] = Date.now()
      }).observe(document, { subtree: true, childList: true, characterData: true })
    },
    stack.manifest.rollup.rpcUrl.replace(/^http/, 'ws'),
  )
  await livePage.goto(web.url)
  await livePage.waitForFunction(bothHeadsShown, undefined, { timeout: 30_000 })
  const delays: number[] = []
  for (let i = 0; i < LIVE_BLOCKS; i++) {
    const hash = await l2.user.sendTransaction({ to: l2.user.account.address, value: 1n })
    const { blockNumber } = await l2.public.waitForTransactionReceipt({ hash })
    const delay = await livePage.waitForFunction(
      (n) => {
        const w = window as unknown as { pushedAt: Record<string, number>; shownAt: Record<string, number> }
        return n in w.shownAt && n in w.pushedAt ? w.shownAt[n]! - w.pushedAt[n]! : false
      },
      String(blockNumber),
      { timeout: 15_000 },
    )
    delays.push(Number(await delay.jsonValue()))
  }
  const liveHead = stats(delays)
  emit({
    bench: 'web.live_head_ms',
    value: liveHead.p50,
    unit: 'ms',
    env: 'chromium',
    ...liveHead,
    notes: "the node's newHeads push (sent at seal) arriving on the page's WebSocket to the number shown",
  })
} finally {
  await browser.close()
  await web.close()
  await stack.stop()
}
