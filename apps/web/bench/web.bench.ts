/**
 * Web app figures against a devnet of its own, in headless Debian Chromium:
 * - `web.bundle_kb`: gzip size of every script and stylesheet the browser loads for the overview;
 * - `web.first_render_ms`: navigation start to both heads shown on the overview (p50 of 7 loads after a warm-up);
 * - `web.live_head_ms`: a rollup block's newHeads notification (the node's seal, seen from this process)
 *   to its number shown on the overview, without reload (p50 of 10 blocks).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { startStack } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import { launchChromium } from '@seed/testkit/chromium'
import { createPublicClient, webSocket } from 'viem'
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

  // Live head: the page records when each head number appears; this process when the node announced it.
  await page.evaluate(() => {
    const seen: Record<string, number> = {}
    ;(window as { headSeenAt?: Record<string, number> }).headSeenAt = seen
    const el = document.querySelector('#l2-head')!
    new MutationObserver(() => {
      const text = el.textContent ?? ''
      if (!(text in seen)) seen[text] = Date.now()
    }).observe(el, { subtree: true, childList: true, characterData: true })
  })
  const announced = new Map<bigint, number>()
  const live = createPublicClient({ transport: webSocket(stack.manifest.rollup.rpcUrl.replace(/^http/, 'ws')) })
  const unwatch = live.watchBlocks({ onBlock: (b) => announced.set(b.number, Date.now()) })
  const delays: number[] = []
  for (let i = 0; i < LIVE_BLOCKS; i++) {
    const hash = await l2.user.sendTransaction({ to: l2.user.account.address, value: 1n })
    const { blockNumber } = await l2.public.waitForTransactionReceipt({ hash })
    const shownAt = await page.waitForFunction(
      (label) => (window as { headSeenAt?: Record<string, number> }).headSeenAt?.[label] ?? false,
      `#${blockNumber}`,
      { timeout: 15_000 },
    )
    // Both hear the same notification; this process may hear it after the page did (then < 0).
    const heardBy = Date.now() + 5_000
    while (!announced.has(blockNumber) && Date.now() < heardBy) await new Promise((r) => setTimeout(r, 10))
    const sealedAt = announced.get(blockNumber)
    if (sealedAt !== undefined) delays.push(Number(await shownAt.jsonValue()) - sealedAt)
  }
  unwatch()
  // Closed before the stack stops, or viem keeps reconnecting to a node that is gone.
  ;(await live.transport.getRpcClient()).close()
  const liveHead = stats(delays)
  emit({
    bench: 'web.live_head_ms',
    value: liveHead.p50,
    unit: 'ms',
    env: 'chromium',
    ...liveHead,
    notes:
      'newHeads heard by a Node subscriber of the same node to the number shown on the overview (< 0: the page was first)',
  })
} finally {
  await browser.close()
  await web.close()
  await stack.stop()
}
