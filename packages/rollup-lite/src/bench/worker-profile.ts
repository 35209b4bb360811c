/**
 * CPU profiles of a page's dedicated Workers through the Chrome DevTools Protocol: what
 * `node --cpu-prof` gives for the Node bench, for the Worker node in Chromium. Attach before the
 * Worker starts; the profiles (`.cpuprofile`, open in Chrome DevTools or any speedscope-like tool)
 * cover start() to stop().
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { launchChromium } from '@seed/testkit/chromium'

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>['context']['newPage']>>

type Pending = { resolve(result: unknown): void; reject(error: Error): void }

export async function attachWorkerProfiler(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  const workers: Array<{ sessionId: string; url: string }> = []
  const pending = new Map<number, Pending>()
  let nextId = 0
  // The non-flattened protocol: the page's session relays each Worker's messages.
  cdp.on('Target.attachedToTarget', (event: { sessionId: string; targetInfo: { type: string; url: string } }) => {
    if (event.targetInfo.type === 'worker') workers.push({ sessionId: event.sessionId, url: event.targetInfo.url })
  })
  cdp.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } }
    const waiting = message.id === undefined ? undefined : pending.get(message.id)
    if (waiting === undefined) return
    pending.delete(message.id as number)
    if (message.error) waiting.reject(new Error(message.error.message))
    else waiting.resolve(message.result)
  })
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false })
  const send = (sessionId: string, method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++nextId
      pending.set(id, { resolve, reject })
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
    })
  return {
    async start() {
      for (const w of workers) {
        await send(w.sessionId, 'Profiler.enable')
        await send(w.sessionId, 'Profiler.setSamplingInterval', { interval: 200 })
        await send(w.sessionId, 'Profiler.start')
      }
    },
    /** Writes one `.cpuprofile` per Worker into `dir`; returns their paths. */
    async stop(dir: string): Promise<string[]> {
      const paths: string[] = []
      for (const [i, w] of workers.entries()) {
        const { profile } = (await send(w.sessionId, 'Profiler.stop')) as { profile: unknown }
        const path = join(dir, `worker-${i}-${w.url.split('/').pop()}.cpuprofile`)
        writeFileSync(path, JSON.stringify(profile))
        paths.push(path)
      }
      return paths
    },
  }
}
