/**
 * Headless Chromium with the browser test page open: the node's Worker bundle built into a temp
 * folder and served on 127.0.0.1. `close` stops the browser and the server and removes the folder.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, launchChromium } from '@seed/testkit/chromium'
import { buildBrowserBundle } from './build.ts'
import { serveDir } from './serve.ts'

export type TestPage = Awaited<ReturnType<Browser['context']['newPage']>>

export async function openTestPage(): Promise<{ page: TestPage; close(): Promise<void> }> {
  const dir = mkdtempSync(join(process.env.SEED_TEST_TMP ?? tmpdir(), 'rollup-browser-'))
  await buildBrowserBundle(dir)
  const server = await serveDir(dir)
  const browser = await launchChromium()
  const page = await browser.context.newPage()
  page.on('pageerror', (e) => console.error('page error:', e))
  await page.goto(server.url)
  await page.waitForFunction(() => (globalThis as any).rollupTest !== undefined)
  return {
    page,
    async close() {
      await browser.close()
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
